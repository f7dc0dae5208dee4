// Requestor questions of an assignment policy, and the answers a direct add sends with them.
// `questions` is a relationship of accessPackageAssignmentPolicy (Graph v1.0 schema): it arrives only with
// `$expand=questions`. A direct add to a policy with required questions must carry their answers, as
// Graph documents: `answers` in the assignment request, each an accessPackageAnswerString whose
// `answeredQuestion` names the question (by id and derived type); for a multiple-choice question the
// value is the chosen choice's `actualValue`. (The schema's accessPackageAnswerChoice is the shape of a
// choice offered, not an answer type: it does not derive from accessPackageAnswer.)

export interface LocalizedText {
  languageCode: string;
  text: string;
}

export interface QuestionChoice {
  /** What Graph stores as the answer (`actualValue`). */
  value: string;
  text: string;
  localizations: LocalizedText[];
}

export interface PolicyQuestion {
  id: string;
  kind: 'text' | 'choice';
  sequence: number;
  text: string;
  localizations: LocalizedText[];
  isRequired: boolean;
  /** Text questions: one line (else several). */
  singleLine: boolean;
  /** Text questions: the pattern an answer must match, if any. */
  regexPattern: string | null;
  /** Choice questions. */
  choices: QuestionChoice[];
  multiple: boolean;
}

/** An answer as the panel gives it to the worker. For a choice question, `value` is the choice's actualValue. */
export interface QuestionAnswer {
  questionId: string;
  kind: 'text' | 'choice';
  value: string;
  /** What the admin saw (the choice's text, or the text typed). */
  displayValue: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function localizations(v: unknown): LocalizedText[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((l) => ({ languageCode: str(l.languageCode), text: str(l.text) })).filter((l) => l.languageCode !== '' && l.text !== '');
}

/** A policy's expanded `questions` → questions in their sequence order (unreadable ones dropped). */
export function normaliseQuestions(raw: unknown): PolicyQuestion[] {
  if (!Array.isArray(raw)) return [];
  const out: PolicyQuestion[] = [];
  for (const q of raw) {
    if (!isObj(q) || str(q.id) === '') continue;
    const type = str(q['@odata.type']);
    const choices = Array.isArray(q.choices)
      ? q.choices.filter(isObj).map((c) => ({ value: str(c.actualValue), text: str(c.text) || str(c.actualValue), localizations: localizations(c.localizations) })).filter((c) => c.value !== '')
      : [];
    const kind: PolicyQuestion['kind'] = /MultipleChoiceQuestion$/.test(type) || (type === '' && choices.length > 0) ? 'choice' : 'text';
    out.push({
      id: str(q.id),
      kind,
      sequence: typeof q.sequence === 'number' ? q.sequence : out.length + 1,
      text: str(q.text),
      localizations: localizations(q.localizations),
      isRequired: q.isRequired === true,
      singleLine: q.isSingleLineQuestion === true,
      regexPattern: str(q.regexPattern) || null,
      choices,
      multiple: q.isMultipleSelectionAllowed === true,
    });
  }
  return out.sort((a, b) => a.sequence - b.sequence);
}

/** The text in the UI language where Graph gives one (`fr-CA` falls back to `fr`), else the default text. */
export function localized(text: string, locs: readonly LocalizedText[], locale: string): string {
  const want = locale.toLowerCase();
  const exact = locs.find((l) => l.languageCode.toLowerCase() === want);
  const base = locs.find((l) => l.languageCode.toLowerCase() === want.split('-')[0]);
  return (exact ?? base)?.text || text;
}

/** What is wrong with the answers, per question id: 'required', 'pattern' or 'choice'. Empty: they may be sent. */
export function answerProblems(questions: readonly PolicyQuestion[], answers: readonly QuestionAnswer[]): Map<string, 'required' | 'pattern' | 'choice'> {
  const out = new Map<string, 'required' | 'pattern' | 'choice'>();
  for (const q of questions) {
    const a = answers.find((x) => x.questionId === q.id);
    const value = a?.value.trim() ?? '';
    if (value === '') {
      if (q.isRequired) out.set(q.id, 'required');
      continue;
    }
    if (q.kind === 'choice' && !q.choices.some((c) => c.value === value)) out.set(q.id, 'choice');
    if (q.kind === 'text' && q.regexPattern) {
      let re: RegExp | null = null;
      try {
        re = new RegExp(`^(?:${q.regexPattern})$`);
      } catch {
        re = null; // a pattern this engine cannot read is Graph's to judge
      }
      if (re && !re.test(value)) out.set(q.id, 'pattern');
    }
  }
  return out;
}

/** The `answers` of an adminAdd request, as Graph documents them (empty answers left out). */
export function graphAnswers(answers: readonly QuestionAnswer[]): object[] {
  const out: object[] = [];
  for (const a of answers) {
    if (a.value.trim() === '') continue;
    out.push({
      '@odata.type': '#microsoft.graph.accessPackageAnswerString',
      value: a.value.trim(),
      displayValue: a.displayValue || a.value.trim(),
      answeredQuestion: {
        '@odata.type': a.kind === 'choice' ? '#microsoft.graph.accessPackageMultipleChoiceQuestion' : '#microsoft.graph.accessPackageTextInputQuestion',
        id: a.questionId,
      },
    });
  }
  return out;
}

/** Answers as they arrive in a message (anything malformed: null). */
export function parseAnswers(v: unknown): QuestionAnswer[] | null {
  if (!Array.isArray(v) || v.length > 50) return null;
  const out: QuestionAnswer[] = [];
  for (const a of v) {
    if (!isObj(a) || str(a.questionId) === '' || (a.kind !== 'text' && a.kind !== 'choice') || typeof a.value !== 'string' || a.value.length > 4000) return null;
    if (typeof a.displayValue !== 'string' || a.displayValue.length > 4000) return null;
    out.push({ questionId: str(a.questionId), kind: a.kind, value: a.value, displayValue: a.displayValue });
  }
  return out;
}
