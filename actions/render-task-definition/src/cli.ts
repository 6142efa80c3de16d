// Local entry: render templates without GitHub or AWS.
//   npm run render -- --environment dev --template services/api-gateway/task-definition.json \
//     --terraform-outputs outputs.json --images api-gateway=<uri>
// Repeat --environment / --template to render several; --image-tag TAG builds each container's image from the
// `ecr_repository_urls` map of the outputs (as the storage stack prints it).
import { renderCli } from './render-cli';

try {
  process.exitCode = await renderCli(process.argv.slice(2), process);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
}
