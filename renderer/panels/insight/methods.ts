import type { ExplainMethod, InsightInfo, InsightLayer } from '../../../shared/api/insight.js';

export const METHOD_LABELS: Record<ExplainMethod, string> = {
  saliency: 'Saliency (gradient)',
  smoothgrad: 'SmoothGrad',
  gradcam: 'Grad-CAM',
  activations: 'Activations',
  attention: 'Attention',
  attribution: 'Token attribution',
  adversarial: 'Adversarial example',
};

export const METHOD_HELP: Record<ExplainMethod, string> = {
  saliency: 'How much each input value moves the answer: the gradient of the answer’s score with respect to the input.',
  smoothgrad: 'Saliency averaged over noisy copies of the input: steadier, less speckled.',
  gradcam: 'Which regions a convolution layer’s features pointed to, weighted by the class’s gradient.',
  activations: 'What a layer outputs for this input.',
  attention: 'How much each position looks at each earlier one, per head.',
  attribution: 'How much each token pushed towards the answer (red) or away from it (blue).',
  adversarial: 'The smallest nudge of every pixel, along the gradient’s sign, that changes the answer.',
};

const isAttention = (layer: InsightLayer) => layer.heads !== undefined;
const isInput = (layer: InsightLayer) => layer.type === 'Input';

/** The layers a method looks at: convolutions' spatial outputs for Grad-CAM, attention layers, any layer for activations. */
export function layersFor(info: InsightInfo, method: ExplainMethod): InsightLayer[] {
  switch (method) {
    case 'gradcam':
      return info.layers.filter((l) => l.spatial && !isInput(l));
    case 'attention':
      return info.layers.filter(isAttention);
    case 'activations':
      return info.layers.filter((l) => !isInput(l));
    default:
      return [];
  }
}

/**
 * The methods that apply to a run's network, in the order the select offers them. Gradients
 * need an input that can be differentiated and an answer to explain: a class, or a value.
 */
export function methodsFor(info: InsightInfo): ExplainMethod[] {
  const classify = info.task === 'classify';
  const answers = classify || info.task === 'regress';
  const has = (method: ExplainMethod) => layersFor(info, method).length > 0;
  const methods: ExplainMethod[] = [];
  switch (info.input) {
    case 'images':
      if (answers && info.differentiable) methods.push('saliency', 'smoothgrad');
      if (classify && has('gradcam')) methods.push('gradcam');
      break;
    case 'table':
      if (answers && info.differentiable) methods.push('saliency');
      break;
    case 'text':
      if (classify && info.embeddingLayer) methods.push('attribution');
      if (has('attention')) methods.push('attention');
      break;
    case 'corpus':
    case 'sequence':
      if (has('attention')) methods.push('attention');
      break;
    case 'noise':
      break;
  }
  if (has('activations')) methods.push('activations');
  if (info.input === 'images' && classify && info.differentiable) methods.push('adversarial');
  return methods;
}

/** The layer a method starts on: Grad-CAM's last convolution (its features are the most abstract still in place), else the first. */
export function defaultLayer(info: InsightInfo, method: ExplainMethod): string | null {
  const layers = layersFor(info, method);
  if (layers.length === 0) return null;
  if (method === 'gradcam') {
    const convolutions = layers.filter((l) => /conv/i.test(l.type));
    return (convolutions.at(-1) ?? layers.at(-1))!.id;
  }
  return layers[0]!.id;
}

/** Why the Explain tab has nothing to offer for a network, in words; null when it has. */
export function noMethodsReason(info: InsightInfo): string | null {
  if (methodsFor(info).length > 0) return null;
  return 'This network has no layer to look inside and no input a gradient can explain.';
}
