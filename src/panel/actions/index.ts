// The actions feature (bulk removal, direct add, action log, delivery status, scripts): registers its
// toolbar controls and its per-row result badge. Imported once by src/panel/index.tsx.
import { registerRowAddon, registerToolbarItem } from '../toolbar';
import { RowInfo, useRowInfoWidth } from './RowInfo';
import { ActionsToolbar } from './Toolbar';

registerToolbarItem(ActionsToolbar);
registerRowAddon(RowInfo, { useWidth: useRowInfoWidth });
