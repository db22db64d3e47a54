import { dfTypeOfOriginal } from './legacy-task';

/**
 * DF connector types (the original's `<Category>_<Engine>_<Details>` names) and the connector
 * class each stands for. The original catalogue (df_installed.json) is kept, with the MongoDB
 * connectors pointed at today's official classes; any other installed plugin gets a derived type.
 */
export const CONNECTOR_TYPE_CATALOGUE: Record<string, string> = {
  CONNECT_SOURCE_KAFKA_FlatFile: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  CONNECT_SINK_KAFKA_FlatFile: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  CONNECT_SOURCE_FlatFile: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  CONNECT_SINK_FlatFile: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  CONNECT_SOURCE_MONGODB_AvroDB: 'com.mongodb.kafka.connect.MongoSourceConnector',
  CONNECT_SINK_MONGODB_AvroDB: 'com.mongodb.kafka.connect.MongoSinkConnector',
  CONNECT_SOURCE_KAFKA_JDBC: 'io.confluent.connect.jdbc.JdbcSourceConnector',
  CONNECT_SINK_KAFKA_JDBC: 'io.confluent.connect.jdbc.JdbcSinkConnector',
  CONNECT_SINK_HDFS_AvroFile: 'io.confluent.connect.hdfs.HdfsSinkConnector',
  CONNECT_SOURCE_KAFKA_AvroFile: 'com.datafibers.kafka.connect.FileGenericSourceConnector',
  CONNECT_SOURCE_STOCK_AvroFile: 'com.datafibers.kafka.connect.FinanceSourceConnector',
  CONNECT_SOURCE_HDFS_AvroFile: 'io.confluent.connect.hdfs.tools.SchemaSourceConnector',
  CONNECT_SOURCE_KAFKA_SchemaFile: 'com.datafibers.kafka.connect.SchemaedFileSourceConnector',
  CONNECT_SINK_KAFKA_SchemaFile: 'com.datafibers.kafka.connect.SchemaedFileSinkConnector',
  CONNECT_SOURCE_UKMEET_NetCDFFile: 'com.datafibers.kafka.connect.UKMEETSourceConnector',
};

/**
 * The catalogue's class for a type, the original's older names included (CONNECT_KAFKA_SOURCE runs
 * as CONNECT_SOURCE_KAFKA_FlatFile): a task keeps the name it was created with and runs as this.
 */
export function catalogueClassOf(connectorType: string): string | undefined {
  return CONNECTOR_TYPE_CATALOGUE[connectorType] ?? CONNECTOR_TYPE_CATALOGUE[dfTypeOfOriginal(connectorType)];
}

/** The type DF gives an installed plugin the catalogue does not name: CONNECT_SOURCE_FileStreamSourceConnector. */
export function derivedConnectorType(connectorClass: string, pluginType: string): string {
  const simple = connectorClass.split('.').pop() ?? connectorClass;
  return `CONNECT_${pluginType.toUpperCase()}_${simple}`;
}

/** Every DF type that names this class: the catalogue's, then the derived one. */
export function connectorTypesOf(connectorClass: string, pluginType: string): string[] {
  const named = Object.entries(CONNECTOR_TYPE_CATALOGUE)
    .filter(([, cls]) => cls === connectorClass)
    .map(([type]) => type);
  return [...named, derivedConnectorType(connectorClass, pluginType)];
}
