import { defineQuery } from '@temporalio/workflow';
import type { StreamBackProgress } from '../domain/stream-back';

/** How far a stream back is: the streamBack workflow answers it live and after it ended (GET /tr/:id/streamback). */
export const streamBackProgress = defineQuery<StreamBackProgress>('progress');
