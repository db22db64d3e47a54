{{- define "datafibers.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "datafibers.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "datafibers.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "datafibers.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels of one component (api or worker): pass (list $ "api"). */}}
{{- define "datafibers.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "datafibers.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "datafibers.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "datafibers.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "datafibers.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{- define "datafibers.apiServiceName" -}}
{{- printf "%s-api" (include "datafibers.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "datafibers.dataClaimName" -}}
{{- default (printf "%s-data" (include "datafibers.fullname" .)) .Values.data.existingClaim }}
{{- end }}

{{- define "datafibers.secretName" -}}
{{- default (include "datafibers.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/*
The settings that hold secrets (the rows of src/config.ts flagged secret or holding credentials,
less the Temporal client key, which comes with temporal.tls). Each is mounted as a file and read
from NAME_FILE.
*/}}
{{- define "datafibers.secretSettings" -}}
{{- list "DF_PAYLOAD_KEY" "DF_API_TOKENS" "MONGO_URL" "CONNECT_MONGO_URL" "TEMPORAL_API_KEY" "KAFKA_SASL_PASSWORD" "KAFKA_CONNECT_PASSWORD" "KAFKA_CONNECT_TOKEN" "FLINK_PASSWORD" "FLINK_TOKEN" "FLINK_SQL_GATEWAY_PASSWORD" "FLINK_SQL_GATEWAY_TOKEN" "SCHEMA_REGISTRY_PASSWORD" "SCHEMA_REGISTRY_TOKEN" | toJson }}
{{- end }}

{{/* The secret settings this release passes, as a JSON list: those of the existing Secret, or the non-empty inline ones. */}}
{{- define "datafibers.secretKeys" -}}
{{- $known := include "datafibers.secretSettings" . | fromJsonArray }}
{{- $keys := list }}
{{- if .Values.secrets.existingSecret }}
{{- $keys = .Values.secrets.existingSecretKeys }}
{{- else }}
{{- range $k, $v := .Values.secrets.values }}
{{- if $v }}{{ $keys = append $keys $k }}{{ end }}
{{- end }}
{{- end }}
{{- range $keys }}
{{- if not (has . $known) }}
{{- fail (printf "secrets: %s is not a secret setting of DF (one of %s)" . (join ", " $known)) }}
{{- end }}
{{- end }}
{{- $keys | sortAlpha | toJson }}
{{- end }}

{{- define "datafibers.secretsDir" -}}/etc/datafibers/secrets{{- end }}

{{/*
TLS material of each service: its values, the folder it is mounted in, and the variable each
file goes to (keys of the Secret left empty are not used). The client certificate's file is
tls.crt unless certFile names another.
*/}}
{{- define "datafibers.tlsServices" -}}
{{- $v := .Values }}
{{- list
  (dict "dir" "temporal" "tls" $v.temporal.tls "ca" "TEMPORAL_TLS_SERVER_CA_CERT_PATH" "cert" "TEMPORAL_TLS_CLIENT_CERT_PATH" "key" "TEMPORAL_TLS_CLIENT_KEY_PATH")
  (dict "dir" "mongo" "tls" (dict "secretName" $v.mongo.tls.secretName "caKey" $v.mongo.tls.caKey "certKey" $v.mongo.tls.certKeyKey "keyKey" "") "ca" "MONGO_TLS_CA_FILE" "cert" "MONGO_TLS_CERT_KEY_FILE" "certFile" "client.pem" "key" "")
  (dict "dir" "kafka" "tls" $v.kafka.tls "ca" "KAFKA_TLS_CA_FILE" "cert" "KAFKA_TLS_CERT_FILE" "key" "KAFKA_TLS_KEY_FILE")
  (dict "dir" "kafka-connect" "tls" $v.kafkaConnect.tls "ca" "KAFKA_CONNECT_TLS_CA_FILE" "cert" "KAFKA_CONNECT_TLS_CERT_FILE" "key" "KAFKA_CONNECT_TLS_KEY_FILE")
  (dict "dir" "flink" "tls" $v.flink.tls "ca" "FLINK_TLS_CA_FILE" "cert" "FLINK_TLS_CERT_FILE" "key" "FLINK_TLS_KEY_FILE")
  (dict "dir" "flink-sql-gateway" "tls" $v.flink.sqlGateway.tls "ca" "FLINK_SQL_GATEWAY_TLS_CA_FILE" "cert" "FLINK_SQL_GATEWAY_TLS_CERT_FILE" "key" "FLINK_SQL_GATEWAY_TLS_KEY_FILE")
  (dict "dir" "schema-registry" "tls" $v.schemaRegistry.tls "ca" "SCHEMA_REGISTRY_TLS_CA_FILE" "cert" "SCHEMA_REGISTRY_TLS_CERT_FILE" "key" "SCHEMA_REGISTRY_TLS_KEY_FILE")
  | toJson }}
{{- end }}

{{/* Host names the API answers to: its Service's names, the Ingress hosts, localhost (port-forward), and any listed. */}}
{{- define "datafibers.allowedHosts" -}}
{{- $svc := include "datafibers.apiServiceName" . }}
{{- $hosts := list "localhost" $svc (printf "%s.%s" $svc .Release.Namespace) (printf "%s.%s.svc" $svc .Release.Namespace) (printf "%s.%s.svc.cluster.local" $svc .Release.Namespace) }}
{{- if .Values.ingress.enabled }}
{{- range .Values.ingress.hosts }}{{ $hosts = append $hosts .host }}{{ end }}
{{- end }}
{{- $hosts = concat $hosts .Values.api.allowedHosts }}
{{- $hosts | uniq | join "," }}
{{- end }}

{{/* The pod parts both Deployments share: volumes. */}}
{{- define "datafibers.volumes" -}}
- name: data
  persistentVolumeClaim:
    claimName: {{ include "datafibers.dataClaimName" . }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- $fileKeys := include "datafibers.secretKeys" . | fromJsonArray }}
{{- if $fileKeys }}
- name: secrets
  secret:
    secretName: {{ include "datafibers.secretName" . }}
    defaultMode: 0440
    items:
      {{- range $fileKeys }}
      - key: {{ . }}
        path: {{ . }}
      {{- end }}
{{- end }}
{{- range include "datafibers.tlsServices" . | fromJsonArray }}
{{- if .tls.secretName }}
- name: tls-{{ .dir }}
  secret:
    secretName: {{ .tls.secretName }}
    defaultMode: 0440
    items:
      {{- if .tls.caKey }}
      - key: {{ .tls.caKey }}
        path: ca.crt
      {{- end }}
      {{- if .tls.certKey }}
      - key: {{ .tls.certKey }}
        path: {{ default "tls.crt" .certFile }}
      {{- end }}
      {{- if .tls.keyKey }}
      - key: {{ .tls.keyKey }}
        path: tls.key
      {{- end }}
{{- end }}
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "datafibers.volumeMounts" -}}
- name: data
  mountPath: {{ .Values.data.mountPath }}
- name: tmp
  mountPath: /tmp
{{- if include "datafibers.secretKeys" . | fromJsonArray }}
- name: secrets
  mountPath: {{ include "datafibers.secretsDir" . }}
  readOnly: true
{{- end }}
{{- range include "datafibers.tlsServices" . | fromJsonArray }}
{{- if .tls.secretName }}
- name: tls-{{ .dir }}
  mountPath: /etc/datafibers/tls/{{ .dir }}
  readOnly: true
{{- end }}
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "datafibers.envFrom" -}}
- configMapRef:
    name: {{ include "datafibers.fullname" . }}
{{- end }}

{{/* Rolls the pods when the settings or the chart's Secret change. */}}
{{- define "datafibers.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secret: {{ include (print .Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
