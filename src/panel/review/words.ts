// Review mode's data in words (message keys in ./messages.en.json).
import type { RecommendationReason } from '../../core/review/recommend';
import { t } from '../i18n';

export function reasonText(reason: RecommendationReason | string, staleAfterDays: number): string {
  switch (reason) {
    case 'deleted':
      return t('review_reason_deleted');
    case 'disabled':
      return t('review_reason_disabled');
    case 'inactive':
      return t('review_reason_inactive', { days: staleAfterDays });
    case 'never-signed-in':
      return t('review_reason_never_signed_in');
    case 'invitation-pending':
      return t('review_reason_invitation_pending');
    case 'expired':
      return t('review_reason_expired');
    case 'delivery-failed':
      return t('review_reason_delivery_failed');
    case 'not-in-directory':
      return t('review_reason_not_in_directory');
    case 'no-sign-in-data':
      return t('review_reason_no_sign_in_data');
    case 'active':
      return t('review_reason_active');
    default:
      return reason;
  }
}

export function reasonsText(reasons: readonly string[], staleAfterDays: number): string {
  return reasons.map((r) => reasonText(r, staleAfterDays)).join('; ');
}
