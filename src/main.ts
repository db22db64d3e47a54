// `npm start`: the API and a worker in one process (npm run api / npm run worker run each alone).
import { runProcess } from './process';

runProcess({ api: true, worker: true });
