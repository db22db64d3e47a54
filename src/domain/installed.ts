/** A connector plugin installed in Kafka Connect, as `GET /connector-plugins` reports it. */
export interface InstalledPlugin {
  /** Fully qualified connector class, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector. */
  class: string;
  type: 'source' | 'sink' | string;
  version: string;
}
