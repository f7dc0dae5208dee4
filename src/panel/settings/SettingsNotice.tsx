// Says what a settings change made on the options page did to the open panel.
import type { JSX } from 'preact';
import { t } from '../i18n';
import { TESTIDS } from '../testids';

export type SettingsNoticeKind = 'staleDays' | 'reconnect';

export function SettingsNotice(props: { kind: SettingsNoticeKind | null; days: number }): JSX.Element | null {
  if (!props.kind) return null;
  return (
    <div class="alert warn" role="status" data-testid={TESTIDS.settingsNotice} data-kind={props.kind}>
      {props.kind === 'reconnect' ? t('settings_reconnect') : t('settings_staleDays', { days: props.days })}
    </div>
  );
}
