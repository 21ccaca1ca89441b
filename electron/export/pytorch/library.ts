/**
 * The small modules and functions model.py defines for what PyTorch has no exact
 * counterpart of, each written into the file only when a layer needs it. Tensors between
 * layers are channels-last (as NetCanvas has them); modules that call PyTorch's
 * channels-first ops permute around them.
 */

export interface Snippet {
  /** Other snippets this one uses. */
  needs?: readonly string[];
  code: string;
}

export const SNIPPETS: Record<string, Snippet> = {
  hard_sigmoid: {
    code: `
def hard_sigmoid(x):
    """TensorFlow.js's hard sigmoid: 0.2 x + 0.5, clipped to [0, 1]."""
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)
`,
  },
  softsign: {
    code: `
def softsign(x):
    return x / (1 + torch.abs(x))
`,
  },
  swish: {
    code: `
def swish(x):
    return x * torch.sigmoid(x)
`,
  },
  relu_layer: {
    code: `
def relu_layer(x, max_value, negative_slope, threshold):
    """Keras's ReLU layer: negative_slope * (x - threshold) below the threshold, capped at max_value."""
    y = torch.where(x >= threshold, x, negative_slope * (x - threshold))
    if max_value is not None:
        y = torch.clamp(y, max=max_value)
    return y
`,
  },
  Conv: {
    code: `
class Conv1d(nn.Conv1d):
    """nn.Conv1d on (batch, steps, channels), padded as TensorFlow pads: (left, right)."""

    def __init__(self, *args, tf_padding=(0, 0), **kwargs):
        super().__init__(*args, **kwargs)
        self.tf_padding = tf_padding

    def forward(self, x):
        return super().forward(F.pad(x.permute(0, 2, 1), self.tf_padding)).permute(0, 2, 1)


class Conv2d(nn.Conv2d):
    """nn.Conv2d on (batch, height, width, channels), padded as TensorFlow pads: (left, right, top, bottom)."""

    def __init__(self, *args, tf_padding=(0, 0, 0, 0), **kwargs):
        super().__init__(*args, **kwargs)
        self.tf_padding = tf_padding

    def forward(self, x):
        return super().forward(F.pad(x.permute(0, 3, 1, 2), self.tf_padding)).permute(0, 2, 3, 1)
`,
  },
  ConvTranspose2d: {
    code: `
class ConvTranspose2d(nn.ConvTranspose2d):
    """nn.ConvTranspose2d on channels-last images, cropped as TensorFlow crops: output rows and columns from (top, left)."""

    def __init__(self, *args, crop=(0, 0), size=(1, 1), **kwargs):
        super().__init__(*args, **kwargs)
        self.crop = crop
        self.size = size

    def forward(self, x):
        y = super().forward(x.permute(0, 3, 1, 2))
        (top, left), (height, width) = self.crop, self.size
        return y[:, :, top:top + height, left:left + width].permute(0, 2, 3, 1)
`,
  },
  SeparableConv2d: {
    needs: ['Conv'],
    code: `
class SeparableConv2d(nn.Module):
    """A depthwise convolution, then a 1x1 convolution that mixes channels; channels-last."""

    def __init__(self, channels, filters, kernel_size, stride, dilation, depth_multiplier, bias, tf_padding):
        super().__init__()
        self.depthwise = Conv2d(channels, channels * depth_multiplier, kernel_size, stride=stride, dilation=dilation,
                                groups=channels, bias=False, tf_padding=tf_padding)
        self.pointwise = Conv2d(channels * depth_multiplier, filters, 1, bias=bias)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
`,
  },
  Pool: {
    code: `
class Pool(nn.Module):
    """Max or average pooling on channels-last input, padded as TensorFlow pads; averages leave the padding out."""

    def __init__(self, kind, kernel_size, stride, tf_padding):
        super().__init__()
        self.kind, self.kernel_size, self.stride, self.tf_padding = kind, kernel_size, stride, tf_padding

    def forward(self, x):
        two_d = len(self.kernel_size) == 2
        x = x.permute(0, 3, 1, 2) if two_d else x.permute(0, 2, 1)
        if self.kind == 'max':
            pool = F.max_pool2d if two_d else F.max_pool1d
            y = pool(F.pad(x, self.tf_padding, value=-float('inf')), self.kernel_size, self.stride)
        else:
            pool = F.avg_pool2d if two_d else F.avg_pool1d
            ones = F.pad(torch.ones_like(x[:1, :1]), self.tf_padding)
            y = pool(F.pad(x, self.tf_padding), self.kernel_size, self.stride) / pool(ones, self.kernel_size, self.stride)
        return y.permute(0, 2, 3, 1) if two_d else y.permute(0, 2, 1)
`,
  },
  upsample_bilinear: {
    code: `
def upsample_bilinear(x, scale):
    """TensorFlow.js's resizeBilinear (align_corners and half_pixel_centers off) on channels-last images."""
    for axis, factor in zip((1, 2), scale):
        size = x.shape[axis]
        source = torch.arange(size * factor, dtype=torch.float64, device=x.device) * (size / (size * factor))
        low = torch.floor(source).long()
        high = torch.clamp(torch.ceil(source).long(), max=size - 1)
        weight = (source - low).to(x.dtype).reshape([-1 if a == axis else 1 for a in range(x.dim())])
        x = torch.index_select(x, axis, low) * (1 - weight) + torch.index_select(x, axis, high) * weight
    return x
`,
  },
  BatchNorm: {
    code: `
class BatchNorm(nn.Module):
    """
    Batch normalization over the last axis (channels-last, any rank), with Keras's optional gamma and
    beta. momentum is PyTorch's: the weight of the new batch, 1 - Keras's momentum. A frozen one
    (frozen = True) normalizes with its running statistics and leaves them as they are, in train
    mode too.
    """
    frozen = False

    def __init__(self, features, eps, momentum, center=True, scale=True):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(features)) if scale else None
        self.bias = nn.Parameter(torch.zeros(features)) if center else None
        self.register_buffer('running_mean', torch.zeros(features))
        self.register_buffer('running_var', torch.ones(features))

    def forward(self, x):
        flat = x.reshape(-1, x.shape[-1])
        if not self.training or self.frozen:
            return F.batch_norm(flat, self.running_mean, self.running_var, self.weight, self.bias, False, 0.0, self.eps).reshape(x.shape)
        # Keras follows the batch's biased variance (PyTorch's own update takes the unbiased one).
        mean, variance = flat.mean(dim=0), flat.var(dim=0, unbiased=False)
        with torch.no_grad():
            self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
            self.running_var.mul_(1 - self.momentum).add_(self.momentum * variance)
        return F.batch_norm(flat, None, None, self.weight, self.bias, True, 0.0, self.eps).reshape(x.shape)
`,
  },
  LayerNorm: {
    code: `
class LayerNorm(nn.Module):
    """Layer normalization over any axes (counted with the batch as 0), with Keras's optional gamma and beta."""

    def __init__(self, axes, sizes, rank, eps, center=True, scale=True):
        super().__init__()
        self.axes, self.eps = tuple(axes), eps
        self.along = [sizes[self.axes.index(a)] if a in self.axes else 1 for a in range(rank)]
        self.weight = nn.Parameter(torch.ones(sizes)) if scale else None
        self.bias = nn.Parameter(torch.zeros(sizes)) if center else None

    def forward(self, x):
        mean = x.mean(dim=self.axes, keepdim=True)
        variance = ((x - mean) ** 2).mean(dim=self.axes, keepdim=True)
        y = (x - mean) * torch.rsqrt(variance + self.eps)
        if self.weight is not None:
            y = y * self.weight.reshape(self.along)
        if self.bias is not None:
            y = y + self.bias.reshape(self.along)
        return y
`,
  },
  GaussianNoise: {
    code: `
class GaussianNoise(nn.Module):
    """Adds normal noise of standard deviation stddev while training; nothing in eval mode."""

    def __init__(self, stddev):
        super().__init__()
        self.stddev = stddev

    def forward(self, x):
        return x + torch.randn_like(x) * self.stddev if self.training else x
`,
  },
  Recurrent: {
    code: `
class Recurrent(nn.Module):
    """
    A SimpleRNN, LSTM or GRU as TensorFlow.js computes it, one step at a time, on (batch, steps, features).
    Gate order as in TensorFlow.js: LSTM i, f, c, o; GRU z, r, h (the reset gate applied before the
    recurrent weights). One bias per gate, as Keras has. go_backwards reads the steps last to first and
    returns them in that order. Dropout masks, one per sequence, apply only in training mode.
    """

    GATES = {'SimpleRNN': 1, 'LSTM': 4, 'GRU': 3}

    def __init__(self, cell, input_size, units, activation, recurrent_activation=None, bias=True,
                 return_sequences=False, return_state=False, go_backwards=False, dropout=0.0, recurrent_dropout=0.0):
        super().__init__()
        gates = self.GATES[cell]
        self.cell, self.units = cell, units
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.return_sequences, self.return_state, self.go_backwards = return_sequences, return_state, go_backwards
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        self.weight_ih = nn.Parameter(torch.empty(gates * units, input_size))
        self.weight_hh = nn.Parameter(torch.empty(gates * units, units))
        self.bias = nn.Parameter(torch.zeros(gates * units)) if bias else None
        bound = 1 / math.sqrt(units)
        for weight in (self.weight_ih, self.weight_hh):
            nn.init.uniform_(weight, -bound, bound)

    def _mask(self, like, rate):
        if not self.training or rate == 0:
            return None
        return F.dropout(torch.ones_like(like), rate, True)

    def forward(self, x):
        batch, steps = x.shape[0], x.shape[1]
        h = x.new_zeros(batch, self.units)
        c = x.new_zeros(batch, self.units)
        input_mask = self._mask(x[:, 0], self.dropout)
        state_mask = self._mask(h, self.recurrent_dropout)
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs = []
        for t in order:
            xt = x[:, t] if input_mask is None else x[:, t] * input_mask
            hr = h if state_mask is None else h * state_mask
            gx = F.linear(xt, self.weight_ih, self.bias)
            if self.cell == 'SimpleRNN':
                h = self.activation(gx + F.linear(hr, self.weight_hh))
            elif self.cell == 'LSTM':
                i, f, g, o = (gx + F.linear(hr, self.weight_hh)).chunk(4, dim=-1)
                act = self.recurrent_activation
                c = act(f) * c + act(i) * self.activation(g)
                h = act(o) * self.activation(c)
            else:
                xz, xr, xh = gx.chunk(3, dim=-1)
                wz, wr, wh = self.weight_hh.split(self.units, dim=0)
                z = self.recurrent_activation(xz + F.linear(hr, wz))
                r = self.recurrent_activation(xr + F.linear(hr, wr))
                hh = self.activation(xh + F.linear(r * hr, wh))
                h = z * hr + (1 - z) * hh
            outputs.append(h)
        output = torch.stack(outputs, dim=1) if self.return_sequences else h
        if not self.return_state:
            return output
        return (output, h, c) if self.cell == 'LSTM' else (output, h)
`,
  },
  Bidirectional: {
    needs: ['Recurrent'],
    code: `
class Bidirectional(nn.Module):
    """Runs a recurrent layer forwards and a copy of it backwards; the backward sequence is turned back before merging."""

    def __init__(self, forward_layer, backward_layer, merge_mode):
        super().__init__()
        self.forward_layer, self.backward_layer, self.merge_mode = forward_layer, backward_layer, merge_mode

    def forward(self, x):
        y, y_rev = self.forward_layer(x), self.backward_layer(x)
        states = []
        if self.forward_layer.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.forward_layer.return_sequences:
            y_rev = torch.flip(y_rev, dims=[1])
        if self.merge_mode == 'concat':
            out = torch.cat([y, y_rev], dim=-1)
        elif self.merge_mode == 'sum':
            out = y + y_rev
        elif self.merge_mode == 'ave':
            out = 0.5 * (y + y_rev)
        else:
            out = y * y_rev
        return tuple([out] + states) if states else out
`,
  },
  MultiHeadAttention: {
    code: `
class MultiHeadAttention(nn.Module):
    """
    Keras's MultiHeadAttention on (batch, steps, features): project query, key and value per head,
    scale by 1/sqrt(key_dim), softmax over the keys (later keys hidden when causal), mix the values,
    project back to the query's features.
    """

    def __init__(self, query_dim, value_input_dim, key_input_dim, num_heads, key_dim, value_dim, bias=True, dropout=0.0, causal=False):
        super().__init__()
        self.num_heads, self.key_dim, self.value_dim, self.causal = num_heads, key_dim, value_dim, causal
        self.query = nn.Linear(query_dim, num_heads * key_dim, bias=bias)
        self.key = nn.Linear(key_input_dim, num_heads * key_dim, bias=bias)
        self.value = nn.Linear(value_input_dim, num_heads * value_dim, bias=bias)
        self.output = nn.Linear(num_heads * value_dim, query_dim, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, query, value=None, key=None):
        value = query if value is None else value
        key = value if key is None else key
        batch, queries, keys = query.shape[0], query.shape[1], key.shape[1]

        def heads(x, size):
            return x.reshape(batch, x.shape[1], self.num_heads, size).transpose(1, 2)

        q = heads(self.query(query), self.key_dim) / math.sqrt(self.key_dim)
        k = heads(self.key(key), self.key_dim)
        v = heads(self.value(value), self.value_dim)
        scores = q @ k.transpose(-1, -2)
        if self.causal:
            visible = torch.ones(queries, keys, dtype=torch.bool, device=query.device).tril()
            scores = scores.masked_fill(~visible, -1e9)
        mixed = self.dropout(torch.softmax(scores, dim=-1)) @ v
        return self.output(mixed.transpose(1, 2).reshape(batch, queries, self.num_heads * self.value_dim))
`,
  },
  TransformerEncoder: {
    needs: ['MultiHeadAttention'],
    code: `
class TransformerEncoder(nn.Module):
    """keras-hub's TransformerEncoder: self-attention and a feed-forward network, each with a residual and layer normalization."""

    def __init__(self, features, intermediate_dim, num_heads, activation, dropout=0.0, eps=1e-5, normalize_first=False):
        super().__init__()
        head = features // num_heads
        self.attention = MultiHeadAttention(features, features, features, num_heads, head, head, dropout=dropout)
        self.attention_norm = nn.LayerNorm(features, eps=eps)
        self.feedforward_norm = nn.LayerNorm(features, eps=eps)
        self.intermediate = nn.Linear(features, intermediate_dim)
        self.output = nn.Linear(intermediate_dim, features)
        self.activation, self.normalize_first = activation, normalize_first
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        residual = x
        if self.normalize_first:
            x = self.attention_norm(x)
        x = self.dropout(self.attention(x)) + residual
        if not self.normalize_first:
            x = self.attention_norm(x)
        residual = x
        if self.normalize_first:
            x = self.feedforward_norm(x)
        x = self.dropout(self.output(self.activation(self.intermediate(x)))) + residual
        return x if self.normalize_first else self.feedforward_norm(x)
`,
  },
  PositionEmbedding: {
    code: `
class PositionEmbedding(nn.Module):
    """Adds a learned vector per position to (batch, steps, features)."""

    def __init__(self, sequence_length, features):
        super().__init__()
        self.embeddings = nn.Parameter(torch.empty(sequence_length, features))
        nn.init.xavier_uniform_(self.embeddings)

    def forward(self, x):
        return x + self.embeddings[:x.shape[1]]
`,
  },
  TokenAndPositionEmbedding: {
    code: `
class TokenAndPositionEmbedding(nn.Module):
    """Token ids (batch, steps) to a learned vector per token plus a learned vector per position."""

    def __init__(self, vocabulary_size, sequence_length, embedding_dim):
        super().__init__()
        self.token_embedding = nn.Embedding(vocabulary_size, embedding_dim)
        self.position_embedding = nn.Parameter(torch.empty(sequence_length, embedding_dim))
        nn.init.uniform_(self.position_embedding, -0.05, 0.05)

    def forward(self, ids):
        return self.token_embedding(ids.long()) + self.position_embedding[:ids.shape[1]]
`,
  },
};

/** The snippets `names` need, each once, dependencies first, in a stable order. */
export function snippetsFor(names: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const snippet = SNIPPETS[name];
    if (!snippet) throw new Error(`model.py has no snippet "${name}".`);
    for (const need of snippet.needs ?? []) visit(need);
    out.push(snippet.code.trim());
  };
  for (const name of [...names].sort()) visit(name);
  return out;
}
