import { runService } from '@berth/service-kit';
import { productService } from './service.ts';

await runService(productService);
