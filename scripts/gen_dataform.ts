/** npm run gen:dataform: writes dataform/includes/features.js from shared/features/feature_spec.ts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDataformInclude } from '../shared/features/feature_spec';

writeFileSync(join(__dirname, '..', 'dataform', 'includes', 'features.js'), renderDataformInclude());
console.log('wrote dataform/includes/features.js');
