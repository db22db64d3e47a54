import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './stack';
import { eventually } from './wait';

/** Reads `count` records of a topic from the beginning with a fresh consumer group. */
export async function readTopic(brokers: string[], topic: string, count: number): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'df-test', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('g') });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value?.toString() ?? ''); } });
    await eventually(`${count} records on ${topic}`, async () => (seen.length >= count ? true : undefined), 60000);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
