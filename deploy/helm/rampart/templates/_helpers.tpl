{{/* The name of every object of a release. */}}
{{- define "rampart.fullname" -}}
{{- printf "%s-rampart" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The TLS Secret: the existing one, or the one this chart creates. */}}
{{- define "rampart.tlsSecret" -}}
{{- if .Values.tls.existingSecret -}}{{ .Values.tls.existingSecret }}{{- else -}}{{ include "rampart.fullname" . }}-tls{{- end -}}
{{- end -}}

{{/* The Secret holding the administrator token's SHA-256. */}}
{{- define "rampart.adminSecret" -}}
{{- if .Values.adminToken.existingSecret -}}{{ .Values.adminToken.existingSecret }}{{- else -}}{{ include "rampart.fullname" . }}-admin{{- end -}}
{{- end -}}
