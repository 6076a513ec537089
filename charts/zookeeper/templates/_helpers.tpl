{{/*
Names, labels and the pieces of the StatefulSet that other templates share.
*/}}

{{/* The chart name, or nameOverride. */}}
{{- define "zookeeper.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The full name: fullnameOverride, else the release name when it contains the chart name, else
"<release>-<chart name>". Pod names add "-<ordinal>", so it stays within 52 characters (a StatefulSet's
pods get a controller-revision-hash label of name + 11 characters, limited to 63).
*/}}
{{- define "zookeeper.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The headless Service: the members' DNS names <pod>.<this>.<namespace>.svc.<domain>. */}}
{{- define "zookeeper.headlessServiceName" -}}
{{- printf "%s-headless" (include "zookeeper.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* chart name and version, for the helm.sh/chart label. */}}
{{- define "zookeeper.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels the Services and the StatefulSet select pods by. Never change them: selectors are immutable. */}}
{{- define "zookeeper.selectorLabels" -}}
app.kubernetes.io/name: {{ include "zookeeper.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: zookeeper
{{- end -}}

{{/* The recommended labels, on every resource. */}}
{{- define "zookeeper.labels" -}}
helm.sh/chart: {{ include "zookeeper.chart" . }}
{{ include "zookeeper.selectorLabels" . }}
app.kubernetes.io/version: {{ include "zookeeper.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/part-of: zookeeper
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* commonAnnotations merged with a resource's own (given as the list [root, own]). */}}
{{- define "zookeeper.annotations" -}}
{{- $root := index . 0 -}}
{{- $own := index . 1 | default dict -}}
{{- $all := merge (deepCopy $own) ($root.Values.commonAnnotations | default dict) -}}
{{- with $all }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "zookeeper.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- end -}}

{{/* registry/repository:tag, or @digest when a digest is given. */}}
{{- define "zookeeper.image" -}}
{{- $repo := .Values.image.repository -}}
{{- if .Values.image.registry -}}
{{- $repo = printf "%s/%s" .Values.image.registry .Values.image.repository -}}
{{- end -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repo .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (include "zookeeper.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "zookeeper.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "zookeeper.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "zookeeper.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Pods in the StatefulSet: the voters, then the observers. */}}
{{- define "zookeeper.podCount" -}}
{{- add (int .Values.replicaCount) (int .Values.observers) -}}
{{- end -}}

{{/* The ConfigMap with the user's zoo.cfg, or "" when there is none. */}}
{{- define "zookeeper.configTemplateConfigMap" -}}
{{- if .Values.existingConfigmap -}}
{{- .Values.existingConfigmap -}}
{{- else if .Values.configuration -}}
{{- printf "%s-config-template" (include "zookeeper.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "zookeeper.configTemplateKey" -}}
{{- if .Values.existingConfigmap -}}{{ .Values.existingConfigmapKey }}{{- else -}}zoo.cfg{{- end -}}
{{- end -}}

{{/* Where the members keep the transaction log: its own volume, or a folder on the data volume. */}}
{{- define "zookeeper.dataLogDir" -}}
{{- if and .Values.persistence.enabled .Values.persistence.dataLogDir.enabled -}}/datalog{{- else -}}/data/log{{- end -}}
{{- end -}}

{{/*
The probes' own deadline: the probe's timeoutSeconds less 200 ms, so zkagent prints its verdict before the
kubelet gives up on it. Argument: the probe's values.
*/}}
{{- define "zookeeper.probeDeadline" -}}
{{- sub (mul (int .timeoutSeconds) 1000) 200 -}}ms
{{- end -}}

{{/*
A probe. Arguments: (list root probeValues verb path). exec runs `zkagent <verb>` against the client port;
with health.httpProbes an httpGet on the health endpoint's path.
*/}}
{{- define "zookeeper.probe" -}}
{{- $root := index . 0 -}}
{{- $probe := index . 1 -}}
{{- $verb := index . 2 -}}
{{- $path := index . 3 -}}
{{- if $root.Values.health.httpProbes }}
httpGet:
  path: {{ $path }}
  port: health
{{- else }}
exec:
  command:
    - zkagent
    - {{ $verb }}
    - --port={{ $root.Values.containerPorts.client | int64 }}
    - --timeout={{ include "zookeeper.probeDeadline" $probe }}
{{- end }}
initialDelaySeconds: {{ $probe.initialDelaySeconds }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
successThreshold: {{ $probe.successThreshold }}
{{- end -}}

{{/* ZOO_CFG_EXTRA from extraConfig: key=value pairs in key order, separated by spaces. */}}
{{- define "zookeeper.cfgExtra" -}}
{{- $pairs := list -}}
{{- range $key, $value := .Values.extraConfig -}}
{{- if and (kindIs "float64" $value) (eq $value (floor $value)) -}}
{{- $value = int64 $value -}}
{{- end -}}
{{- $pairs = append $pairs (printf "%s=%v" $key $value) -}}
{{- end -}}
{{- join " " $pairs -}}
{{- end -}}

{{/*
The arguments of `zkagent start`: every setting the chart decides, as flags (so `kubectl describe pod`
shows them). The folders are the volumes' mount paths.
*/}}
{{- define "zookeeper.startArgs" -}}
- --servers={{ .Values.replicaCount | int64 }}
{{- if gt (int .Values.observers) 0 }}
- --observers={{ .Values.observers | int64 }}
{{- end }}
- --myid-offset={{ .Values.minServerId | int64 }}
{{- with .Values.clusterDomain }}
- --domain={{ include "zookeeper.headlessServiceName" $ }}.{{ $.Release.Namespace }}.svc.{{ . }}
{{- end }}
- --conf-dir=/conf
- --data-dir=/data
- --data-log-dir={{ include "zookeeper.dataLogDir" . }}
- --log-dir=/logs
- --client-port={{ .Values.containerPorts.client | int64 }}
- --server-port={{ .Values.containerPorts.follower | int64 }}
- --election-port={{ .Values.containerPorts.election | int64 }}
- --admin-server-enabled={{ .Values.adminServer.enabled }}
{{- if .Values.adminServer.enabled }}
- --admin-server-port={{ .Values.containerPorts.adminServer | int64 }}
{{- end }}
- --quorum-listen-on-all-ips={{ .Values.listenOnAllIPs }}
- --4lw-commands-whitelist={{ .Values.fourlwCommandsWhitelist }}
- --max-client-cnxns={{ .Values.maxClientCnxns | int64 }}
- --tick-time={{ .Values.tickTime | int64 }}
- --init-limit={{ .Values.initLimit | int64 }}
- --sync-limit={{ .Values.syncLimit | int64 }}
{{- with .Values.minSessionTimeout }}
- --min-session-timeout={{ . | int64 }}
{{- end }}
{{- with .Values.maxSessionTimeout }}
- --max-session-timeout={{ . | int64 }}
{{- end }}
- --snap-retain-count={{ .Values.autopurge.snapRetainCount | int64 }}
- --purge-interval={{ .Values.autopurge.purgeInterval | int64 }}
{{- with .Values.heapSize | toString }}
- --heap={{ . }}
{{- end }}
- --log-level={{ .Values.logLevel }}
- --agent-log-level={{ .Values.agentLogLevel }}
{{- if include "zookeeper.configTemplateConfigMap" . }}
- --config-template=/config-template/zoo.cfg
{{- end }}
{{- if .Values.health.enabled }}
- --health-port={{ .Values.containerPorts.health | int64 }}
{{- end }}
{{- end -}}

{{/* Quantity (1Gi, 512Mi, 1G, 1073741824) in MiB, or "" when the form is not recognized. */}}
{{- define "zookeeper.quantityMiB" -}}
{{- $q := toString . -}}
{{- $m := regexFind "^[0-9]+(\\.[0-9]+)?" $q -}}
{{- $unit := trimPrefix $m $q -}}
{{- $factors := dict "" 0.00000095367431640625 "k" 0.0009765625 "Ki" 0.0009765625 "M" 0.95367431640625 "Mi" 1.0 "G" 953.67431640625 "Gi" 1024.0 "T" 976562.5 "Ti" 1048576.0 -}}
{{- if and $m (hasKey $factors $unit) -}}
{{- mulf (float64 $m) (get $factors $unit) | floor | int64 -}}
{{- end -}}
{{- end -}}

{{/* heapSize in MiB (512M, 2G, 1024k, a plain number of MiB), or "" when unset. */}}
{{- define "zookeeper.heapMiB" -}}
{{- $h := toString .Values.heapSize -}}
{{- if $h -}}
{{- $n := int64 (regexFind "^[0-9]+" $h) -}}
{{- $u := lower (trimPrefix (regexFind "^[0-9]+" $h) $h) -}}
{{- if eq $u "k" -}}{{ div $n 1024 }}
{{- else if eq $u "g" -}}{{ mul $n 1024 }}
{{- else if eq $u "t" -}}{{ mul $n 1048576 }}
{{- else -}}{{ $n }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Preset affinities. Arguments: (dict "type" soft|hard "root" $).
*/}}
{{- define "zookeeper.podAffinityTerm" -}}
labelSelector:
  matchLabels:
    {{- include "zookeeper.selectorLabels" .root | nindent 4 }}
topologyKey: kubernetes.io/hostname
{{- end -}}

{{- define "zookeeper.podAffinityPreset" -}}
{{- if eq .type "soft" }}
preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 100
    podAffinityTerm:
      {{- include "zookeeper.podAffinityTerm" . | nindent 6 }}
{{- else if eq .type "hard" }}
requiredDuringSchedulingIgnoredDuringExecution:
  - {{- include "zookeeper.podAffinityTerm" . | nindent 4 }}
{{- end }}
{{- end -}}

{{- define "zookeeper.nodeAffinityPreset" -}}
{{- $expr := dict "key" .root.Values.nodeAffinityPreset.key "operator" "In" "values" .root.Values.nodeAffinityPreset.values -}}
{{- if eq .type "soft" }}
preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 1
    preference:
      matchExpressions:
        - {{- toYaml $expr | nindent 10 }}
{{- else if eq .type "hard" }}
requiredDuringSchedulingIgnoredDuringExecution:
  nodeSelectorTerms:
    - matchExpressions:
        - {{- toYaml $expr | nindent 10 }}
{{- end }}
{{- end -}}

{{- define "zookeeper.affinity" -}}
{{- if .Values.affinity -}}
{{- toYaml .Values.affinity -}}
{{- else -}}
{{- $out := dict -}}
{{- with .Values.podAffinityPreset -}}
{{- $_ := set $out "podAffinity" (include "zookeeper.podAffinityPreset" (dict "type" . "root" $) | fromYaml) -}}
{{- end -}}
{{- with .Values.podAntiAffinityPreset -}}
{{- $_ := set $out "podAntiAffinity" (include "zookeeper.podAffinityPreset" (dict "type" . "root" $) | fromYaml) -}}
{{- end -}}
{{- with .Values.nodeAffinityPreset.type -}}
{{- $_ := set $out "nodeAffinity" (include "zookeeper.nodeAffinityPreset" (dict "type" . "root" $) | fromYaml) -}}
{{- end -}}
{{- with $out -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
A volumeClaimTemplate. Its labels are only the selector labels and persistence.labels: claim templates of a
StatefulSet cannot change after creation, so nothing that changes with a chart upgrade goes in.
Arguments: (dict "root" $ "name" ... "storageClass" ... "size" ... "selector" ...).
*/}}
{{- define "zookeeper.claimTemplate" -}}
{{- $root := .root -}}
metadata:
  name: {{ .name }}
  labels:
    {{- include "zookeeper.selectorLabels" $root | nindent 4 }}
    {{- with $root.Values.persistence.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with $root.Values.persistence.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  accessModes:
    {{- toYaml $root.Values.persistence.accessModes | nindent 4 }}
  {{- if .storageClass }}
  {{- if eq "-" .storageClass }}
  storageClassName: ""
  {{- else }}
  storageClassName: {{ .storageClass | quote }}
  {{- end }}
  {{- end }}
  resources:
    requests:
      storage: {{ .size | quote }}
  {{- with .selector }}
  selector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
