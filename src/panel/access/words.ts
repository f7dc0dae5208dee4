// The access check's reasons in words, shared by the toolbar section and the details view.
import { t } from '../i18n';

/** Why a resource, or an assignment, was not compared (core/access NotCheckedReason), in words. */
export function reasonText(reason: string | undefined, detail?: string): string {
  switch (reason) {
    case 'sharepoint':
      return t('access_reason_sharepoint');
    case 'no-permission':
      return t('access_reason_no_permission');
    case 'deleted':
      return t('access_reason_deleted');
    case 'role-removed':
      return t('access_reason_role_removed');
    case 'unsupported':
      return t('access_reason_unsupported', { system: detail ?? '' });
    case 'not-delivered':
      return t('access_reason_not_delivered');
    case 'not-in-directory':
      return t('access_reason_not_in_directory');
    case 'not-in-check':
      return t('access_reason_not_in_check');
    default:
      return t('access_reason_failed', { message: detail ?? '' });
  }
}
