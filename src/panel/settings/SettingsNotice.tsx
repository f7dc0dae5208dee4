// Says what a settings change made on the options page did to the open panel, until the admin dismisses it.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { TESTIDS } from '../testids';

export type SettingsNoticeKind = 'staleDays' | 'reconnect';

/** One notice per change: `seq` grows with every change, so a new change shows again after a dismissal. */
export interface SettingsNoticeState {
  kind: SettingsNoticeKind;
  seq: number;
}

export function SettingsNotice(props: { notice: SettingsNoticeState | null; days: number }): JSX.Element | null {
  const [dismissed, setDismissed] = useState<number | null>(null);
  const { notice } = props;
  if (!notice || dismissed === notice.seq) return null;
  return (
    <div class="alert warn" role="status" data-testid={TESTIDS.settingsNotice} data-kind={notice.kind}>
      {notice.kind === 'reconnect' ? t('settings_reconnect') : t('settings_staleDays', { days: props.days })}{' '}
      <button type="button" class="subtle" data-testid={TESTIDS.settingsNoticeDismiss} onClick={() => setDismissed(notice.seq)}>
        {t('settings_dismiss')}
      </button>
    </div>
  );
}
