// `npm run api`: the HTTP API alone; workers run elsewhere (`npm run worker`).
import { runProcess } from './process';

runProcess({ api: true, worker: false });
