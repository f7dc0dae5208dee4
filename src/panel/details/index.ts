// The details feature (assignment details, reprocess and extend): registers its toolbar controls, which
// also draw the details view. Imported once by src/panel/index.tsx.
import { registerToolbarItem } from '../toolbar';
import { DetailsFeature } from './DetailsFeature';

registerToolbarItem(DetailsFeature);
