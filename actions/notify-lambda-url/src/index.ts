import { runAction } from '@berth/kit';
import { run } from './main';

await runAction(run);
