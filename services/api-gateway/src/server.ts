import { runService } from '@berth/service-kit';
import { gatewayService } from './service.ts';

await runService(gatewayService);
