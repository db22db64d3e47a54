# The schema registry of the cluster profile: the default profile's Apicurio on ports of this
# profile.
REGISTRY_PORT=28081
REGISTRY_MANAGEMENT_PORT=28091
REGISTRY_CCOMPAT="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"

registry_df_env() { echo "SCHEMA_REGISTRY_URL=$REGISTRY_CCOMPAT"; }
