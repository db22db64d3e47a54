# The SQL Gateway of the cluster profile, in front of its JobManager.
SQL_GATEWAY_PORT=28084

sql_gateway_df_env() { echo "FLINK_SQL_GATEWAY_URL=http://127.0.0.1:$SQL_GATEWAY_PORT"; }
