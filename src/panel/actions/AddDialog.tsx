// Direct add: search the directory (debounced; stale answers ignored), pick users, choose a policy (those
// that do not allow direct assignment are shown disabled with the reason; with requestor questions only one
// user), optional start and end dates (UTC), then one adminAdd per user.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PolicyInfo } from '../../core/model';
import { answerProblems, type QuestionAnswer } from '../../core/questions';
import { t, tn } from '../i18n';
import type { DirectoryUser } from '../../messages';
import { TESTIDS } from '../testids';
import { Dialog } from './Dialog';
import type { ActionsModel } from './model';
import { QuestionFields } from './QuestionFields';
import { RoleNote } from './RoleNote';
import { addBlockedReason, dateToIso, policyOptions } from './status';
import { Icon } from '../icons/Icon';

export interface AddDialogProps {
  model: ActionsModel;
  policies: readonly PolicyInfo[];
  onClose(): void;
}

const userText = (u: DirectoryUser): string => [u.displayName, u.userPrincipalName || u.mail].filter(Boolean).join(' — ') || u.id;

export function AddDialog(props: AddDialogProps): JSX.Element {
  const { model } = props;
  const options = policyOptions(props.policies);
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<DirectoryUser[]>([]);
  const [policyId, setPolicyId] = useState(() => options.find((o) => !o.disabled)?.policy.id ?? '');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [answers, setAnswers] = useState<QuestionAnswer[]>([]);
  const sentRef = useRef(false);
  const policy = props.policies.find((p) => p.id === policyId) ?? null;
  const questions = policy?.questions ?? [];
  const problems = answerProblems(questions, answers);
  const missing = [...problems.values()].filter((p) => p === 'required').length;
  const blocked = addBlockedReason(policy, picked.length, start, end) ?? (missing > 0 ? tn('questions_missing', missing) : null) ?? (problems.size > 0 ? t('questions_pattern') : null);
  const answer = (a: QuestionAnswer): void => setAnswers((cur) => [...cur.filter((x) => x.questionId !== a.questionId), a]);
  const search = model.search;
  // A new dialog starts with a new search.
  useEffect(() => model.setSearchQuery(''), [model]);

  const toggle = (u: DirectoryUser): void =>
    setPicked((cur) => (cur.some((x) => x.id === u.id) ? cur.filter((x) => x.id !== u.id) : [...cur, u]));

  const submit = (): void => {
    if (blocked || sentRef.current || !policy) return;
    sentRef.current = true;
    // Only answers to this policy's questions (the admin may have switched policies meanwhile).
    const mine = answers.filter((a) => questions.some((q) => q.id === a.questionId) && a.value.trim() !== '');
    model.add(policy.id, picked, dateToIso(start), dateToIso(end), mine);
    props.onClose();
  };

  return (
    <Dialog title={t('actions_addDialog_title')} onClose={props.onClose} testid={TESTIDS.addDialog}>
      <label>
        {t('actions_addDialog_find')}
        <input
          type="search"
          data-testid={TESTIDS.userSearch}
          placeholder={t('actions_addDialog_findPlaceholder')}
          value={query}
          onInput={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            setQuery(v);
            model.setSearchQuery(v);
          }}
        />
      </label>
      <div class="act-results" role="group" aria-label={t('actions_addDialog_found')} aria-busy={search.loading}>
        {search.error ? <p class="act-error">{t('actions_addDialog_searchFailed', { reason: search.error })}</p> : null}
        {!search.error && search.query && !search.loading && search.users.length === 0 ? <p class="act-note">{t('actions_addDialog_noUser')}</p> : null}
        {search.loading ? <p class="act-note">{t('actions_addDialog_searching')}</p> : null}
        {search.users.map((u) => (
          <label key={u.id} data-testid={TESTIDS.userResult} data-user-id={u.id}>
            <input type="checkbox" checked={picked.some((x) => x.id === u.id)} onChange={() => toggle(u)} />
            {userText(u)}
          </label>
        ))}
      </div>
      {picked.length > 0 ? (
        <div class="act-chips" aria-label={t('actions_addDialog_chosen')}>
          {picked.map((u) => (
            <button key={u.id} type="button" title={t('actions_addDialog_unchoose')} onClick={() => toggle(u)}>
              {userText(u)} <Icon name="dismiss" size={12} />
            </button>
          ))}
        </div>
      ) : null}
      <label>
        {t('actions_addDialog_policy')}
        <select data-testid={TESTIDS.policySelect} value={policyId} onChange={(e) => setPolicyId((e.currentTarget as HTMLSelectElement).value)}>
          {policyId === '' ? <option value="">{t('actions_addDialog_choosePolicy')}</option> : null}
          {options.map((o) => (
            <option key={o.policy.id} value={o.policy.id} disabled={o.disabled}>
              {o.policy.displayName || o.policy.id}
              {o.note ? ` (${o.note})` : ''}
            </option>
          ))}
        </select>
      </label>
      {policy?.hasQuestions ? (
        <p class="act-note">{t('actions_addDialog_questions')}</p>
      ) : null}
      <QuestionFields questions={questions} answers={answers} problems={problems} onAnswer={answer} />
      <label>
        {t('actions_addDialog_start')}
        <input type="date" data-testid={TESTIDS.startDate} value={start} onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        {t('actions_addDialog_end')}
        <input type="date" data-testid={TESTIDS.endDate} value={end} onInput={(e) => setEnd((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <RoleNote roles={model.roles} unknown={t('actions_role_unknownAdd')} />
      {blocked ? <p class="act-note" role="status">{blocked}</p> : null}
      <div class="act-buttons">
        <button type="button" onClick={props.onClose}>
          {t('actions_cancel')}
        </button>
        <button type="button" class="primary" data-testid={TESTIDS.confirmAdd} disabled={blocked !== null} onClick={submit}>
          {tn('actions_addDialog_add', picked.length)}
        </button>
      </div>
    </Dialog>
  );
}
