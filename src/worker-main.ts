// `npm run worker`: one more worker on DF_TASK_QUEUE, to scale workflow and activity execution out.
import { runProcess } from './process';

runProcess({ api: false, worker: true });
