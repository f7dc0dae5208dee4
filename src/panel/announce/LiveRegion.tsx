// Screen readers hear how a load is going, politely and by phase (started, finished, failed), never per row or
// per page: the text changes only when the phase does, and a polite live region reads each change once.
import type { JSX } from 'preact';
import { t, tn } from '../i18n';
import { isBusy, type PanelState } from '../store';
import { TESTIDS } from '../testids';

export function loadAnnouncement(s: Readonly<PanelState>): string {
  if (s.packageId === null) return '';
  if (s.error) return t('announce_failed', { message: s.error.message });
  if (s.loading) return s.refreshing ? t('announce_refreshing') : t('announce_loading');
  if (s.enriching) return tn('announce_loadedEnriching', s.rows.length);
  if (s.complete) return s.missing.length > 0 ? tn('announce_loadedIncomplete', s.rows.length) : tn('announce_loaded', s.rows.length);
  if (isBusy(s)) return t('announce_loading');
  return '';
}

export function LiveRegion(props: { state: Readonly<PanelState> }): JSX.Element {
  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid={TESTIDS.liveRegion}>
      {loadAnnouncement(props.state)}
    </div>
  );
}
