// Answers to a policy's requestor questions in an assignment request (`answers`, accessPackageAnswer
// collection): each names its question by `answeredQuestion.id`; a multiple-choice answer's value is one
// of the choices' actualValue. A direct add to a policy with required questions and no answer to them is
// refused, as a portal admin would see it refused.
import type { Policy } from '../types';
import { badRequest } from './errors';

interface RawAnswer {
  '@odata.type'?: unknown;
  value?: unknown;
  answeredQuestion?: { id?: unknown } | null;
}

export function checkAnswers(policy: Policy, body: Record<string, unknown>): void {
  if (policy.questions.length === 0) return;
  const raw = body.answers;
  if (raw !== undefined && !Array.isArray(raw)) throw badRequest("'answers' must be a collection of accessPackageAnswer.", 'BadRequest');
  const answers = (raw ?? []) as RawAnswer[];
  for (const a of answers) {
    const q = policy.questions.find((x) => x.id.toLowerCase() === String(a?.answeredQuestion?.id ?? '').toLowerCase());
    if (!q) throw badRequest(`An answer names a question that the policy '${policy.displayName}' does not ask.`, 'BadRequest');
    if (a['@odata.type'] !== '#microsoft.graph.accessPackageAnswerString' || typeof a.value !== 'string') {
      throw badRequest("Each answer must be a '#microsoft.graph.accessPackageAnswerString' with a string 'value'.", 'BadRequest');
    }
    if (q.choices && !q.choices.some((c) => c.actualValue === a.value)) {
      throw badRequest(`'${a.value}' is not one of the choices of the question '${q.text}'.`, 'BadRequest');
    }
  }
  const missing = policy.questions.filter(
    (q) => q.isRequired && !answers.some((a) => String(a?.answeredQuestion?.id ?? '').toLowerCase() === q.id.toLowerCase() && typeof a.value === 'string' && a.value.trim() !== ''),
  );
  if (missing.length > 0) {
    throw badRequest(`The request does not answer the required question(s) of the policy '${policy.displayName}': ${missing.map((q) => `'${q.text}'`).join(', ')}.`, 'BadRequest');
  }
}
