// "All packages": opens the overview of the whole tenant from a package (contract: open-overview); Back
// returns to the package.
import type { JSX } from 'preact';
import { t } from '../i18n';
import { overviewSlot } from './model';

export function OpenOverviewButton(): JSX.Element {
  return (
    <button type="button" data-testid="open-overview" title={t('overview_open_title')} onClick={() => overviewSlot.get()?.open('tenant', true)}>
      {t('overview_open')}
    </button>
  );
}
