// The access check feature: registers its toolbar section. Imported once by src/panel/index.tsx.
import { registerToolbarItem } from '../toolbar';
import { AccessBar } from './AccessBar';

registerToolbarItem(AccessBar);
