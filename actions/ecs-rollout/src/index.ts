import { runAction } from '@berth/kit';
import { run } from './main';

void runAction(run);
