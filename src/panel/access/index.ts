// The access check feature: registers its toolbar section and its section of the details view. Imported once
// by src/panel/index.tsx.
import { registerDetailsSection } from '../details/sections';
import { registerToolbarItem } from '../toolbar';
import { AccessBar } from './AccessBar';
import { AccessDetails } from './AccessDetails';

registerToolbarItem(AccessBar);
registerDetailsSection(AccessDetails);
