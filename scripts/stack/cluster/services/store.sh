# DF's store in the cluster profile: the default profile's FerretDB on a port of this profile.
STORE_PORT=27217

store_df_env() { echo "MONGO_URL=mongodb://127.0.0.1:$STORE_PORT"; }
