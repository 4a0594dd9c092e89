{{/* Chart name, overridable. */}}
{{- define "sightline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name prefix: RELEASE-sightline, or RELEASE when it already says sightline. */}}
{{- define "sightline.fullname" -}}
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

{{- define "sightline.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "sightline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sightline
{{- end }}

{{/* Selector labels of one component: include with (dict "ctx" . "component" "api"). */}}
{{- define "sightline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sightline.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "sightline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sightline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "sightline.agentImage" -}}
{{- printf "%s:%s" .Values.agentService.image.repository (default .Chart.AppVersion .Values.agentService.image.tag) }}
{{- end }}

{{- define "sightline.modelServerImage" -}}
{{- printf "%s:%s" .Values.modelServer.image.repository (default .Chart.AppVersion .Values.modelServer.image.tag) }}
{{- end }}

{{/* The Secret with API keys and the model endpoint key: chart-managed unless secrets.existingSecret names one. */}}
{{- define "sightline.secretName" -}}
{{- default (include "sightline.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Bitnami's naming for the Redis subchart: RELEASE-redis, or RELEASE when it already says redis. */}}
{{- define "sightline.redisFullname" -}}
{{- if contains "redis" .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-redis" .Release.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "sightline.redisHost" -}}
{{- if .Values.redis.enabled }}
{{- printf "%s-master" (include "sightline.redisFullname" .) }}
{{- else }}
{{- required "externalRedis.host is required when redis.enabled is false" .Values.externalRedis.host }}
{{- end }}
{{- end }}

{{- define "sightline.modelBaseUrl" -}}
{{- if .Values.config.modelBaseUrl }}
{{- .Values.config.modelBaseUrl }}
{{- else if .Values.modelServer.enabled }}
{{- printf "http://%s-model-server:%v/v1" (include "sightline.fullname" .) .Values.modelServer.port }}
{{- else }}
{{- fail "config.modelBaseUrl is required when modelServer.enabled is false" }}
{{- end }}
{{- end }}

{{/* Redis password from the subchart's Secret or an existing one; otherwise it comes through envFrom. */}}
{{- define "sightline.redisPasswordEnv" -}}
{{- if .Values.redis.enabled }}
- name: SPRING_DATA_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "sightline.redisFullname" . }}
      key: redis-password
{{- else if .Values.externalRedis.existingSecret }}
- name: SPRING_DATA_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalRedis.existingSecret }}
      key: {{ .Values.externalRedis.existingSecretPasswordKey }}
{{- end }}
{{- end }}

{{/* Pod spec shared by the api and worker Deployments: include with (dict "ctx" . "role" "api" "values" .Values.api). */}}
{{- define "sightline.agentPodSpec" -}}
{{- $ctx := .ctx -}}
serviceAccountName: {{ include "sightline.serviceAccountName" $ctx }}
automountServiceAccountToken: false
{{- with $ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml $ctx.Values.podSecurityContext | nindent 2 }}
containers:
  - name: agent-service
    image: {{ include "sightline.agentImage" $ctx | quote }}
    imagePullPolicy: {{ $ctx.Values.agentService.image.pullPolicy }}
    securityContext:
      {{- toYaml $ctx.Values.containerSecurityContext | nindent 6 }}
    ports:
      - name: http
        containerPort: 8080
        protocol: TCP
    envFrom:
      - configMapRef:
          name: {{ include "sightline.fullname" $ctx }}
      - secretRef:
          name: {{ include "sightline.secretName" $ctx }}
    env:
      - name: SIGHTLINE_ROLE
        value: {{ .role | quote }}
      {{- with include "sightline.redisPasswordEnv" $ctx | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      {{- with $ctx.Values.agentService.extraEnv }}
      {{- toYaml . | nindent 6 }}
      {{- end }}
    startupProbe:
      httpGet:
        path: {{ $ctx.Values.probes.startup.path }}
        port: http
      periodSeconds: {{ $ctx.Values.probes.startup.periodSeconds }}
      failureThreshold: {{ $ctx.Values.probes.startup.failureThreshold }}
    livenessProbe:
      httpGet:
        path: {{ $ctx.Values.probes.liveness.path }}
        port: http
      periodSeconds: {{ $ctx.Values.probes.liveness.periodSeconds }}
      failureThreshold: {{ $ctx.Values.probes.liveness.failureThreshold }}
    readinessProbe:
      httpGet:
        path: {{ $ctx.Values.probes.readiness.path }}
        port: http
      periodSeconds: {{ $ctx.Values.probes.readiness.periodSeconds }}
      failureThreshold: {{ $ctx.Values.probes.readiness.failureThreshold }}
    resources:
      {{- toYaml .values.resources | nindent 6 }}
    volumeMounts:
      - name: data
        mountPath: /var/lib/sightline
      - name: tmp
        mountPath: /tmp
      {{- if eq .role "worker" }}
      - name: dshm
        mountPath: /dev/shm
      {{- end }}
volumes:
  - name: data
    emptyDir: {}
  - name: tmp
    emptyDir: {}
  {{- if eq .role "worker" }}
  # Chromium needs more shared memory than the container runtime's 64 MiB default.
  - name: dshm
    emptyDir:
      medium: Memory
      sizeLimit: {{ .values.shmSize }}
  {{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
