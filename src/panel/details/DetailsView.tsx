// One assignment's details, over the table (which keeps its scroll, filters and selection underneath):
// Assignment, Who, How they got it (requests and approval stages), What else they hold, and the fixes.
// Every text from Graph is a Preact text child: never markup.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { RequestInfo } from '../../core/assignment-requests';
import { ageDays, graphRequestsForDetails, powershellForDetails, staleFacts, type StaleFact } from '../../core/details-format';
import type { Cloud, SignInAvailability } from '../../core/model';
import type { PartError } from '../../protocol/details';
import { CopyButton, type WriteClipboard } from '../actions/Copy';
import { t } from '../i18n';
import { LocalTime } from '../components/LocalTime';
import { accountText, dateWords, graphTitle, localDate, statusText, subjectTypeText, userTypeText } from '../words';
import { accountState } from '../../core/filters';
import { humanise } from '../../core/portal-words';
import type { Approvals, OpenDetails } from './model';
import { DETAILS_TESTIDS as IDS } from './testids';
import { ReviewDecision } from '../review/ReviewDecision';

export interface DetailsViewProps {
  open: OpenDetails;
  packageId: string;
  packageName: string;
  catalogName: string;
  catalogId: string | null;
  staleAfterDays: number;
  signIn: SignInAvailability | null;
  now: number;
  portalHost: string;
  cloud: () => Promise<Cloud>;
  hasPrevious: boolean;
  hasNext: boolean;
  onClose(): void;
  onMove(delta: 1 | -1): void;
  onRemove(): void;
  onReprocess(): void;
  onExtend(): void;
  writeClipboard?: WriteClipboard;
  /** Room for other features' sections at the end of the view (e.g. a review decision). */
  extra?: ComponentChildren;
}

const STATE_WORDS: Record<string, string> = {
  delivered: 'details_state_delivered',
  delivering: 'details_state_delivering',
  deliveryfailed: 'details_state_delivery_failed',
  partiallydelivered: 'details_state_partially_delivered',
  expired: 'details_state_expired',
  submitted: 'details_state_submitted',
  pendingapproval: 'details_state_pending_approval',
  denied: 'details_state_denied',
  scheduled: 'details_state_scheduled',
  canceled: 'details_state_canceled',
};

const TYPE_WORDS: Record<string, string> = {
  useradd: 'details_type_user_add',
  userupdate: 'details_type_user_update',
  userremove: 'details_type_user_remove',
  userextend: 'details_type_user_extend',
  adminadd: 'details_type_admin_add',
  adminupdate: 'details_type_admin_update',
  adminremove: 'details_type_admin_remove',
  systemadd: 'details_type_system_add',
  systemupdate: 'details_type_system_update',
  systemremove: 'details_type_system_remove',
  onbehalfadd: 'details_type_on_behalf_add',
};

/** The portal's word for a state; an unknown value is shown verbatim. */
function stateText(v: string): string {
  const key = STATE_WORDS[v.toLowerCase()];
  return key ? t(key) : v;
}

function typeText(v: string): string {
  const key = TYPE_WORDS[v.toLowerCase()];
  return key ? t(key) : v;
}

/** A date in the browser's locale and time zone (as the table shows it); its UTC instant goes in a tooltip. */
function dateText(iso: string | null | undefined): string {
  return iso ? localDate(iso) : t('details_none');
}

const utcTitle = (iso: string | null | undefined): string => dateWords(iso).title;

function withAge(iso: string | null | undefined, now: number): string {
  const days = ageDays(iso, now);
  return iso && days !== null ? t('details_date_age', { date: localDate(iso), days }) : t('details_none');
}

/** A date field: local date (with its age in days, `now` given), UTC in the tooltip. */
function DateField(props: { label: string; iso: string | null | undefined; now?: number; hidden?: boolean }): JSX.Element {
  if (props.hidden) return <Field label={props.label}>{''}</Field>;
  return (
    <Field label={props.label} title={utcTitle(props.iso) || undefined}>
      {props.now === undefined ? dateText(props.iso) : withAge(props.iso, props.now)}
    </Field>
  );
}

/** Text with Graph's own value in the tooltip when the words differ from it (as the table's cells). */
function EnumText(props: { text: string; raw: string | null | undefined; fallback: string }): JSX.Element {
  return <span title={graphTitle(props.text, props.raw ?? '') || undefined}>{props.text || props.fallback}</span>;
}

function Field(props: { label: string; children: ComponentChildren; title?: string; testid?: string }): JSX.Element {
  return (
    <div class="details-field" data-testid={props.testid}>
      <dt>{props.label}</dt>
      <dd title={props.title}>{props.children}</dd>
    </div>
  );
}

/** A part Graph refused or could not answer: one calm line saying why and what would allow it. */
function PartProblem(props: { error: PartError; kind: 'person' | 'manager' | 'approvals' | 'others' | 'requests' }): JSX.Element {
  const { status, message } = props.error;
  let text: string;
  if (status === 403) text = t(`details_forbidden_${props.kind}`);
  else if (status === 404) text = t(`details_not_found_${props.kind}`);
  else if (status === 429) text = t('details_throttled');
  else text = t('details_part_failed', { message });
  return (
    <p class="details-note" data-testid={IDS.partProblem} data-part={props.kind} data-status={String(status)} title={message}>
      {text}
    </p>
  );
}

function staleSentence(f: StaleFact): string {
  switch (f.reason) {
    case 'inactive':
      return t('details_stale_inactive', { days: f.days ?? '?', threshold: f.threshold });
    case 'never-signed-in':
      return t('details_stale_never', { days: f.days ?? '?', threshold: f.threshold });
    case 'invitation-pending':
      return t('details_stale_invitation', { days: f.days ?? '?', threshold: f.threshold });
    case 'disabled':
      return t('details_stale_disabled');
    default:
      return t('details_stale_deleted');
  }
}

function Stages(props: { approvals: Approvals | undefined; request: RequestInfo }): JSX.Element | null {
  const a = props.approvals;
  if (!a) return /^(admin|system)/i.test(props.request.requestType) ? null : <p class="details-note">{t('details_approvals_loading')}</p>;
  if (a.error) {
    // An admin request never had an approval: Graph's 404 is not worth a line there.
    if (a.error.status === 404 && /^(admin|system)/i.test(props.request.requestType)) return null;
    return <PartProblem error={a.error} kind="approvals" />;
  }
  if (a.stages.length === 0) return null;
  return (
    <ol class="details-stages">
      {a.stages.map((s, i) => (
        <li key={i} data-testid={IDS.approvalStage} data-review-result={s.reviewResult}>
          <span class="details-stage-name">{s.displayName || t('details_stage_n', { n: i + 1 })}</span>
          {': '}
          <span title={s.reviewResult}>{s.reviewResult || t('details_none')}</span>
          {s.reviewerName ? ` · ${s.reviewerName}` : ''}
          {s.reviewedDateTime ? (
            <>
              {' · '}
              <LocalTime iso={s.reviewedDateTime} />
            </>
          ) : null}
          {s.status ? ` · ${s.status}` : ''}
          {s.justification ? <div class="details-text">{s.justification}</div> : null}
        </li>
      ))}
    </ol>
  );
}

function Request(props: { r: RequestInfo; approvals: Approvals | undefined; testid: string }): JSX.Element {
  const { r } = props;
  const requestor = r.requestor
    ? r.requestor.displayName || r.requestor.principalName || r.requestor.email || r.requestor.objectId || t('details_unknown')
    : t('details_requestor_missing');
  const state = stateText(r.state) || t('details_unknown');
  const status = r.status ? statusText(r.status) : '';
  return (
    <li class="details-request" data-testid={props.testid} data-request-id={r.id} data-request-type={r.requestType} data-state={r.state}>
      <div class="details-request-head">
        <strong title={r.requestType}>{typeText(r.requestType) || t('details_unknown')}</strong>
        {' · '}
        <span title={r.state}>{state}</span>
        {/* Graph's status often says the state again ("Delivered"): in parentheses only when it adds something. */}
        {status && status.toLowerCase() !== state.toLowerCase() ? <span title={r.status}>{` (${status})`}</span> : null}
      </div>
      <dl class="details-grid">
        <Field label={t('details_requestor')}>{requestor}</Field>
        <DateField label={t('details_created')} iso={r.createdDateTime} />
        <DateField label={t('details_completed')} iso={r.completedDateTime} />
        <Field
          label={t('details_requested_schedule')}
          title={r.scheduleStart || r.scheduleEnd ? t('details_schedule', { start: utcTitle(r.scheduleStart) || t('details_none'), end: utcTitle(r.scheduleEnd) || t('details_none') }) : undefined}
        >
          {r.scheduleStart || r.scheduleEnd ? t('details_schedule', { start: dateText(r.scheduleStart), end: dateText(r.scheduleEnd) }) : t('details_none')}
        </Field>
      </dl>
      {r.justification ? (
        <div class="details-text" data-testid={IDS.justification}>
          {r.justification}
        </div>
      ) : null}
      {r.answers.length ? (
        <ul class="details-answers">
          {r.answers.map((a, i) => (
            <li key={i}>
              {!a.question
                ? t('details_answer_unknown_question', { answer: a.answer })
                : /[?:？：]\s*$/.test(a.question)
                  ? t('details_answer_after_mark', { question: a.question.trim(), answer: a.answer })
                  : t('details_answer', { question: a.question, answer: a.answer })}
            </li>
          ))}
        </ul>
      ) : null}
      <Stages approvals={props.approvals} request={r} />
    </li>
  );
}

export function DetailsView(props: DetailsViewProps): JSX.Element {
  const { open, now } = props;
  const row = open.row;
  const ref = useRef<HTMLDivElement>(null);
  const loading = !open.done;
  const name = row ? row.displayName || row.principalName || row.email || row.id : open.assignmentId;

  useEffect(() => {
    ref.current?.focus();
  }, [open.assignmentId]);

  const onKeyDown = (e: KeyboardEvent): void => {
    const inField = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onClose();
    } else if (!inField && (e.key === 'ArrowDown' || e.key === 'ArrowRight') && props.hasNext) {
      e.preventDefault();
      props.onMove(1);
    } else if (!inField && (e.key === 'ArrowUp' || e.key === 'ArrowLeft') && props.hasPrevious) {
      e.preventDefault();
      props.onMove(-1);
    }
  };

  const user = row?.user ?? null;
  const person = open.person?.person ?? null;
  // The list's account data first, then what the details read from /users: in the words of the table's cells.
  const userType = user?.userType ?? (person?.userType || null);
  const enabled = user?.accountEnabled ?? person?.accountEnabled ?? null;
  const account = accountText(accountState({ deleted: user?.deleted ?? false, accountEnabled: enabled }));
  const invitation = user?.externalUserState ?? (person?.externalUserState || null);
  const facts = row ? staleFacts(row, props.staleAfterDays, now) : [];
  const signInNote = props.signIn && !props.signIn.available ? t('details_sign_in_unavailable', { reason: props.signIn.reason ?? '' }) : null;
  const policyLink = `https://${props.portalHost}/#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/policies/entitlementId/${props.packageId}${props.catalogId ? `/catalogId/${props.catalogId}` : ''}`;
  const requests = open.requests;
  const objectId = row?.objectId ?? null;
  // Graph answered 404 for the user: deleted from the directory (a calm line, not an error).
  const personGone = objectId !== null && !!open.person && !open.person.error && open.person.person === null;

  return (
    <div
      class="details"
      ref={ref}
      tabIndex={-1}
      role="dialog"
      aria-modal="false"
      aria-label={t('details_title', { name })}
      data-testid={IDS.view}
      data-assignment-id={open.assignmentId}
      data-loading={String(loading)}
      onKeyDown={onKeyDown}
    >
      <div class="details-head">
        <h2>{name}</h2>
        <div class="details-nav">
          <button type="button" data-testid={IDS.previous} disabled={!props.hasPrevious} onClick={() => props.onMove(-1)} title={t('details_previous_title')}>
            {t('details_previous')}
          </button>
          <button type="button" data-testid={IDS.next} disabled={!props.hasNext} onClick={() => props.onMove(1)} title={t('details_next_title')}>
            {t('details_next')}
          </button>
          <button type="button" data-testid={IDS.close} data-close-on-escape onClick={props.onClose}>
            {t('details_close')}
          </button>
        </div>
      </div>
      {loading ? <p class="details-note" aria-live="polite">{t('details_loading')}</p> : null}

      <section aria-label={t('details_section_assignment')}>
        <h3>{t('details_section_assignment')}</h3>
        {row ? (
          <dl class="details-grid">
            <Field label={t('details_state')} title={row.state}>{stateText(row.state) || t('details_unknown')}</Field>
            <Field label={t('details_status')}>
              <EnumText text={statusText(row.status)} raw={row.status} fallback={t('details_none')} />
            </Field>
            <Field label={t('details_policy')}>
              <a href={policyLink} target="_top" title={row.policyId}>
                {row.policyName || row.policyId}
              </a>
            </Field>
            <DateField label={t('details_start')} iso={row.start} />
            <DateField label={t('details_expiry')} iso={row.expiry} />
            <Field label={t('details_package')}>{props.packageName}</Field>
            <Field label={t('details_catalog')}>{props.catalogName || t('details_unknown')}</Field>
            <Field label={t('details_assignment_id')}>{row.id}</Field>
          </dl>
        ) : (
          <p class="details-note">{t('details_row_gone')}</p>
        )}
        {open.policy?.maxEnd !== undefined ? (
          <p class="details-note" title={utcTitle(open.policy.maxEnd) || undefined}>
            {open.policy.maxEnd === null ? t('details_policy_no_max') : t('details_policy_max', { max: dateText(open.policy.maxEnd) })}
          </p>
        ) : null}
      </section>

      <section aria-label={t('details_section_who')}>
        <h3>{t('details_section_who')}</h3>
        {row ? (
          <dl class="details-grid">
            <Field label={t('details_display_name')}>{row.displayName || t('details_none')}</Field>
            <Field label={t('details_upn')}>{row.principalName || person?.userPrincipalName || t('details_none')}</Field>
            <Field label={t('details_email')}>{row.email || person?.mail || t('details_none')}</Field>
            <Field label={t('details_object_id')}>{row.objectId ?? t('details_not_in_directory')}</Field>
            <Field label={t('details_subject_type')}>
              <EnumText text={subjectTypeText(row.subjectType)} raw={row.subjectType} fallback={t('details_unknown')} />
            </Field>
            <Field label={t('details_connected_org')}>{row.connectedOrgName || (row.connectedOrgId ?? t('details_none'))}</Field>
            <Field label={t('details_user_type')}>
              <EnumText text={userTypeText(userType)} raw={userType} fallback={t('details_unknown')} />
            </Field>
            <Field label={t('details_account_enabled')}>
              <EnumText text={account} raw={enabled === null ? null : String(enabled)} fallback={t('details_unknown')} />
            </Field>
            <DateField label={t('details_created_account')} iso={user?.createdDateTime ?? person?.createdDateTime} now={now} />
            <Field label={t('details_invitation')}>
              <EnumText text={invitation ? humanise(invitation) : ''} raw={invitation} fallback={t('details_none')} />
            </Field>
            <Field label={t('details_job_title')}>{open.person?.error || personGone ? '' : person ? person.jobTitle || t('details_none') : objectId ? '…' : t('details_none')}</Field>
            <Field label={t('details_department')}>{open.person?.error || personGone ? '' : person ? person.department || t('details_none') : objectId ? '…' : t('details_none')}</Field>
            <Field label={t('details_manager')} testid={IDS.manager}>
              {open.manager?.error ? '' : open.manager ? open.manager.name ?? t('details_no_manager') : objectId ? '…' : t('details_none')}
            </Field>
            <DateField label={t('details_last_success')} iso={user?.lastSuccessfulSignIn} now={now} hidden={!!signInNote} />
            <DateField label={t('details_last_interactive')} iso={user?.lastSignIn} now={now} hidden={!!signInNote} />
            <DateField label={t('details_last_noninteractive')} iso={user?.lastNonInteractiveSignIn} now={now} hidden={!!signInNote} />
          </dl>
        ) : null}
        {signInNote ? <p class="details-note">{signInNote}</p> : null}
        {open.person?.error ? <PartProblem error={open.person.error} kind="person" /> : null}
        {personGone ? <PartProblem error={{ status: 404, message: '' }} kind="person" /> : null}
        {open.manager?.error ? <PartProblem error={open.manager.error} kind="manager" /> : null}
        {facts.length ? (
          <ul class="details-stale" data-testid={IDS.staleReasons}>
            {facts.map((f) => (
              <li key={f.reason}>{staleSentence(f)}</li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-label={t('details_section_how')}>
        <h3>{t('details_section_how')}</h3>
        {!requests ? <p class="details-note">{t('details_requests_loading')}</p> : null}
        {requests?.error ? <PartProblem error={requests.error} kind="requests" /> : null}
        {requests && !requests.error && requests.list.length === 0 ? <p class="details-note">{t('details_no_requests')}</p> : null}
        {requests?.list.length ? (
          <ol class="details-requests">
            {requests.list.map((r) => (
              <Request key={r.id} r={r} approvals={open.approvals.get(r.id)} testid={IDS.request} />
            ))}
          </ol>
        ) : null}
        {requests?.related.length ? (
          <>
            <h4>{t('details_related_requests')}</h4>
            <ol class="details-requests">
              {requests.related.map((r) => (
                <Request key={r.id} r={r} approvals={open.approvals.get(r.id)} testid={IDS.relatedRequest} />
              ))}
            </ol>
          </>
        ) : null}
      </section>

      <section aria-label={t('details_section_others')}>
        <h3>{t('details_section_others')}</h3>
        {!objectId ? <p class="details-note">{t('details_others_no_object')}</p> : null}
        {objectId && !open.others ? <p class="details-note">{t('details_others_loading')}</p> : null}
        {open.others?.error ? <PartProblem error={open.others.error} kind="others" /> : null}
        {open.others && !open.others.error && open.others.list.length === 0 ? <p class="details-note">{t('details_others_none')}</p> : null}
        {open.others?.list.length ? (
          <ul class="details-others">
            {open.others.list.map((o) => (
              <li key={o.id} data-testid={IDS.otherAssignment} data-access-package-id={o.packageId} data-assignment-id={o.id}>
                <a href={`https://${props.portalHost}/#view/Microsoft_Azure_ELMAdmin/EntitlementMenuBlade/~/assignments/entitlementId/${o.packageId}`} target="_top">
                  {o.packageName || o.packageId}
                </a>
                {o.packageId.toLowerCase() === props.packageId.toLowerCase() ? ` (${t('details_same_package')})` : ''}
                {' · '}
                {o.policyName || t('details_unknown')}
                {' · '}
                <span title={o.state}>{stateText(o.state)}</span>
                {' · '}
                {o.expiry ? <LocalTime iso={o.expiry}>{t('details_expires', { date: localDate(o.expiry) })}</LocalTime> : t('details_no_expiry')}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section aria-label={t('details_section_fix')}>
        <h3>{t('details_section_fix')}</h3>
        <div class="details-actions">
          <ReviewDecision assignmentId={open.assignmentId} />
          <button type="button" data-testid={IDS.reprocess} onClick={props.onReprocess} disabled={!row}>
            {t('details_reprocess')}
          </button>
          <button type="button" data-testid={IDS.extend} onClick={props.onExtend} disabled={!row}>
            {t('details_extend')}
          </button>
          <button type="button" class="danger" data-testid={IDS.remove} onClick={props.onRemove} disabled={!row}>
            {t('details_remove')}
          </button>
          <CopyButton
            label={t('details_copy_powershell')}
            testid={IDS.copyPowershell}
            writeClipboard={props.writeClipboard}
            text={async () => powershellForDetails(open.assignmentId, props.packageId, objectId, await props.cloud())}
          />
          <CopyButton
            label={t('details_copy_graph')}
            testid={IDS.copyGraph}
            writeClipboard={props.writeClipboard}
            text={async () => graphRequestsForDetails(open.assignmentId, props.packageId, objectId, await props.cloud())}
          />
        </div>
      </section>
      {/* Other features add their sections here (each renders its own <section>, or nothing). */}
      {props.extra}
    </div>
  );
}
