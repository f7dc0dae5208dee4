// The overview across packages: the package panel's "open-overview" button (a toolbar item), and the view
// App renders instead of the package while an overview is open. Imported once by src/panel/index.tsx.
import { registerToolbarItem } from '../toolbar';
import { OpenOverviewButton } from './OpenOverviewButton';

export { OverviewView } from './OverviewView';
export { OverviewModel, overviewSlot } from './model';

registerToolbarItem(OpenOverviewButton);
