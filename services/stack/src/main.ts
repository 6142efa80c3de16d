import { runService } from '@berth/service-kit';
import { stackService } from './start-stack.ts';

// `npm start`: the three services in one process, with the same lifecycle as each service alone.
await runService(stackService);
