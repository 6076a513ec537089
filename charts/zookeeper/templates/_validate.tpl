{{/*
Combinations of values that cannot work, refused with every reason at once. values.schema.json checks each
value on its own (types, ranges); this checks them together. Included by statefulset.yaml.
*/}}
{{- define "zookeeper.validate" -}}
{{- $v := .Values -}}
{{- $errors := list -}}
{{- $pods := int (include "zookeeper.podCount" .) -}}

{{- $lastId := sub (add (int $v.minServerId) $pods) 1 -}}
{{- if gt $lastId 255 -}}
{{- $errors = append $errors (printf "minServerId %d with %d pods (replicaCount %d + observers %d) gives ids up to %d: ZooKeeper ids are 1..255" (int $v.minServerId) $pods (int $v.replicaCount) (int $v.observers) $lastId) -}}
{{- end -}}

{{- if and (gt (int $v.observers) 0) (eq (int $v.replicaCount) 1) -}}
{{- $errors = append $errors (printf "observers %d with replicaCount 1: a single voter runs standalone and observers have no leader to follow; use replicaCount 3 or more" (int $v.observers)) -}}
{{- end -}}

{{- if and (eq $v.podManagementPolicy "OrderedReady") (gt $pods 1) $v.readinessProbe.enabled -}}
{{- $errors = append $errors "podManagementPolicy OrderedReady with more than one member: pod 0 is ready only once a quorum serves, so OrderedReady never creates pod 1; use Parallel" -}}
{{- end -}}

{{- $ports := dict -}}
{{- $named := list (list "containerPorts.client" $v.containerPorts.client) (list "containerPorts.follower" $v.containerPorts.follower) (list "containerPorts.election" $v.containerPorts.election) -}}
{{- if $v.adminServer.enabled -}}{{- $named = append $named (list "containerPorts.adminServer" $v.containerPorts.adminServer) -}}{{- end -}}
{{- if $v.health.enabled -}}{{- $named = append $named (list "containerPorts.health" $v.containerPorts.health) -}}{{- end -}}
{{- range $named -}}
{{- $key := toString (int (index . 1)) -}}
{{- if hasKey $ports $key -}}
{{- $errors = append $errors (printf "%s and %s are both %s: each port needs its own number" (get $ports $key) (index . 0) $key) -}}
{{- else -}}
{{- $_ := set $ports $key (index . 0) -}}
{{- end -}}
{{- end -}}

{{- if and $v.health.httpProbes (not $v.health.enabled) -}}
{{- $errors = append $errors "health.httpProbes needs health.enabled: the httpGet probes call the health endpoint" -}}
{{- end -}}
{{- if and $v.metrics.enabled (not $v.health.enabled) -}}
{{- $errors = append $errors "metrics.enabled needs health.enabled: /metrics is served by zkagent's health endpoint" -}}
{{- end -}}
{{- if and $v.metrics.serviceMonitor.enabled (not $v.metrics.enabled) -}}
{{- $errors = append $errors "metrics.serviceMonitor.enabled needs metrics.enabled: the ServiceMonitor scrapes the metrics Service" -}}
{{- end -}}
{{- if $v.metrics.enabled -}}
{{- $words := splitList "," (nospace $v.fourlwCommandsWhitelist) -}}
{{- if not (or (has "mntr" $words) (has "*" $words)) -}}
{{- $errors = append $errors (printf "metrics.enabled needs mntr in fourlwCommandsWhitelist (now %q): /metrics is built from mntr" $v.fourlwCommandsWhitelist) -}}
{{- end -}}
{{- end -}}

{{- if and $v.persistence.dataLogDir.enabled (not $v.persistence.enabled) -}}
{{- $errors = append $errors "persistence.dataLogDir.enabled needs persistence.enabled: a separate transaction log volume next to an emptyDir data folder protects nothing" -}}
{{- end -}}

{{- if and $v.configuration $v.existingConfigmap -}}
{{- $errors = append $errors "configuration and existingConfigmap are both set: give the zoo.cfg template one way" -}}
{{- end -}}

{{- range $key, $value := $v.extraConfig -}}
{{- if regexMatch "[\\s=]" $key -}}
{{- $errors = append $errors (printf "extraConfig key %q: keys cannot contain spaces or '='" $key) -}}
{{- end -}}
{{- if regexMatch "\\s" (toString $value) -}}
{{- $errors = append $errors (printf "extraConfig.%s value %q contains a space: ZOO_CFG_EXTRA separates entries by spaces; use configuration for such values" $key (toString $value)) -}}
{{- end -}}
{{- if regexMatch "^server\\.[0-9]+$" $key -}}
{{- $errors = append $errors (printf "extraConfig.%s: the members come from replicaCount and observers" $key) -}}
{{- end -}}
{{- end -}}

{{- if and $v.minSessionTimeout $v.maxSessionTimeout -}}
{{- if gt (int $v.minSessionTimeout) (int $v.maxSessionTimeout) -}}
{{- $errors = append $errors (printf "minSessionTimeout %d is above maxSessionTimeout %d" (int $v.minSessionTimeout) (int $v.maxSessionTimeout)) -}}
{{- end -}}
{{- end -}}

{{- $heap := include "zookeeper.heapMiB" . -}}
{{- $limit := "" -}}
{{- if and $v.resources $v.resources.limits -}}
{{- with $v.resources.limits.memory -}}
{{- $limit = include "zookeeper.quantityMiB" . -}}
{{- end -}}
{{- end -}}
{{- if and $heap $limit -}}
{{- if ge (int64 $heap) (int64 $limit) -}}
{{- $errors = append $errors (printf "heapSize %v (%s MiB) is not below resources.limits.memory %v (%s MiB): the JVM needs memory beyond its heap and would be OOM-killed; leave heapSize empty to use half the limit" $v.heapSize $heap $v.resources.limits.memory $limit) -}}
{{- end -}}
{{- end -}}

{{- if and $v.livenessProbe.enabled (ne (int $v.livenessProbe.successThreshold) 1) -}}
{{- $errors = append $errors "livenessProbe.successThreshold must be 1 (Kubernetes refuses other values)" -}}
{{- end -}}
{{- if and $v.startupProbe.enabled (ne (int $v.startupProbe.successThreshold) 1) -}}
{{- $errors = append $errors "startupProbe.successThreshold must be 1 (Kubernetes refuses other values)" -}}
{{- end -}}

{{- if $errors -}}
{{- fail (printf "\n\nVALUES VALIDATION:\n  - %s\n" (join "\n  - " $errors)) -}}
{{- end -}}
{{- end -}}

{{/*
Changing the ensemble of an existing release. Every member's server list follows replicaCount and observers,
and myid follows minServerId: changing them rewrites all members at once (growing 1 -> 3 with Parallel pods
lets two empty members form a quorum and wipe the first one's data). Refused unless ensemble.allowResize.
lookup sees the cluster during `helm install/upgrade` (and `helm template --dry-run=server`); under a plain
`helm template` it returns nothing and this check passes.
*/}}
{{- define "zookeeper.resizeGuard" -}}
{{- $existing := lookup "apps/v1" "StatefulSet" .Release.Namespace (include "zookeeper.fullname" .) -}}
{{- if and $existing (not .Values.ensemble.allowResize) -}}
{{- $annotations := $existing.metadata.annotations | default dict -}}
{{- $now := include "zookeeper.ensembleAnnotation" . -}}
{{- $was := get $annotations "zookeeper.zkagent.io/ensemble" -}}
{{- $changed := list -}}
{{- if $was -}}
{{- range $key := list "servers" "observers" "minServerId" -}}
{{- $pattern := printf "%s=[0-9]+" $key -}}
{{- if ne (regexFind $pattern $was) (regexFind $pattern $now) -}}
{{- $changed = append $changed (printf "%s -> %s" (regexFind $pattern $was) (regexFind $pattern $now)) -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- $was = printf "%v pods" $existing.spec.replicas -}}
{{- if ne (int $existing.spec.replicas) (int (include "zookeeper.podCount" .)) -}}
{{- $changed = append $changed (printf "pods %v -> %s" $existing.spec.replicas (include "zookeeper.podCount" .)) -}}
{{- end -}}
{{- end -}}
{{- if $changed -}}
{{- fail (printf "\n\nENSEMBLE CHANGE REFUSED: StatefulSet %s/%s runs %s and this upgrade asks for %s (%s).\nEvery member's server list (and myid) would change at once; growing lets new empty members out-vote the ones with data, shrinking can drop the members that hold the newest transactions.\nSafe procedure (zkagent README, \"Changing the ensemble size\"): all members ready, back up /data; change replicaCount by one with --set ensemble.allowResize=true (the StatefulSet then restarts nothing by itself); wait until every pod is ready; delete the old pods one at a time, followers first and the leader last, each once all are ready again; upgrade once more with allowResize=false; repeat per member." .Release.Namespace $existing.metadata.name $was $now (join ", " $changed)) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The ensemble shape, kept as an annotation on the StatefulSet for the guard above. */}}
{{- define "zookeeper.ensembleAnnotation" -}}
{{- printf "servers=%d,observers=%d,minServerId=%d" (int .Values.replicaCount) (int .Values.observers) (int .Values.minServerId) -}}
{{- end -}}
