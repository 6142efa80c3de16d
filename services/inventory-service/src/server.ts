import { runService } from '@berth/service-kit';
import { inventoryService } from './service.ts';

await runService(inventoryService);
