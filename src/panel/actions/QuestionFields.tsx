// The requestor questions of the chosen policy in the direct-add dialog: a text field (one line or
// several) or a list of choices each, in the UI language where Graph gives a localized text. Required
// ones are marked; the dialog keeps Add disabled until they are answered (core/questions answerProblems).
import type { JSX } from 'preact';
import { localized, type PolicyQuestion, type QuestionAnswer } from '../../core/questions';
import { t, uiLocale } from '../i18n';
import { TESTIDS } from '../testids';

export interface QuestionFieldsProps {
  questions: readonly PolicyQuestion[];
  answers: readonly QuestionAnswer[];
  problems: ReadonlyMap<string, 'required' | 'pattern' | 'choice'>;
  onAnswer(a: QuestionAnswer): void;
}

export function QuestionFields(props: QuestionFieldsProps): JSX.Element | null {
  if (props.questions.length === 0) return null;
  const locale = uiLocale();
  return (
    <fieldset class="act-questions">
      <legend>{t('questions_legend')}</legend>
      {props.questions.map((q) => {
        const value = props.answers.find((a) => a.questionId === q.id)?.value ?? '';
        const label = localized(q.text, q.localizations, locale);
        const answer = (v: string, shown: string): void => props.onAnswer({ questionId: q.id, kind: q.kind, value: v, displayValue: shown });
        return (
          <label key={q.id} data-testid={TESTIDS.addQuestion} data-question-id={q.id} data-required={q.isRequired ? 'true' : 'false'}>
            {label} {q.isRequired ? t('questions_required') : null}
            {q.kind === 'choice' ? (
              <select
                value={value}
                required={q.isRequired}
                onChange={(e) => {
                  const v = (e.currentTarget as HTMLSelectElement).value;
                  const c = q.choices.find((x) => x.value === v);
                  answer(v, c ? localized(c.text, c.localizations, locale) : v);
                }}
              >
                <option value="">{t('questions_choose')}</option>
                {q.choices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {localized(c.text, c.localizations, locale)}
                  </option>
                ))}
              </select>
            ) : q.singleLine ? (
              <input type="text" value={value} required={q.isRequired} onInput={(e) => answer((e.currentTarget as HTMLInputElement).value, (e.currentTarget as HTMLInputElement).value)} />
            ) : (
              <textarea value={value} required={q.isRequired} onInput={(e) => answer((e.currentTarget as HTMLTextAreaElement).value, (e.currentTarget as HTMLTextAreaElement).value)} />
            )}
            {props.problems.get(q.id) === 'pattern' ? <span class="act-error">{t('questions_pattern')}</span> : null}
          </label>
        );
      })}
    </fieldset>
  );
}
