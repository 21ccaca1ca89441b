import type { ExplainMethod, ExplainRequest, Explanation } from '../../../shared/api/insight.js';
import { InputError, type PreparedInput, type Session } from '../session.js';
import { activations } from './activations.js';
import { adversarial } from './adversarial.js';
import { methodName, needAnswer } from './answer.js';
import { attention } from './attention.js';
import { attribution } from './attribution.js';
import { gradcam } from './gradcam.js';
import { saliency } from './saliency.js';

/**
 * Why the network answered as it did for one input. Each method runs its tensors in `tf.tidy`
 * and returns plain data and 8-bit images; a request that does not fit the network is an
 * `InputError` saying why and what to try instead.
 */
export async function explain(session: Session, prepared: PreparedInput, request: ExplainRequest): Promise<Explanation> {
  const { method } = request;
  switch (method) {
    case 'saliency':
    case 'smoothgrad':
      needGradient(session, method);
      return saliency(session, prepared, method, request.classIndex);
    case 'gradcam':
      needGradient(session, method);
      return gradcam(session, prepared, request.layer, request.classIndex);
    case 'activations':
      return activations(session, prepared, request.layer);
    case 'attention':
      return attention(session, prepared, request.layer);
    case 'attribution':
      needAnswer(session, method);
      return attribution(session, prepared, request.classIndex);
    case 'adversarial':
      needAnswer(session, method);
      if (session.info.task === 'regress') throw new InputError('An adversarial example changes the class a network gives, and this network answers with values.');
      return adversarial(session, prepared, request.epsilon);
    default:
      return unknown(method);
  }
}

function unknown(method: never): never {
  throw new InputError(`There is no explanation called "${String(method)}".`);
}

/** Methods that follow the gradient back to the input: images, tables and sequences, not token ids. */
function needGradient(session: Session, method: ExplainMethod): void {
  needAnswer(session, method);
  if (!session.info.differentiable) {
    throw new InputError(`${methodName(method)} follows the gradient back to the input, and this network reads token ids, which have none: try attribution instead.`);
  }
}
