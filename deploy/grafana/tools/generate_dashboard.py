"""Generates deploy/grafana/dashboards/salmon-run.json (edit this, not the JSON; rerun with python3)."""
import json
import os
DS = {"type": "prometheus", "uid": "prometheus"}
RI = "$__rate_interval"
panels = []
y = 0
pid = 1
def row(title):
    global y, pid
    panels.append({"type": "row", "title": title, "id": pid, "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
    pid += 1; y += 1
col = 0
def panel(title, targets, unit="short", kind="timeseries", desc="", w=12, h=8):
    global y, pid, col
    if col + w > 24:
        col = 0; y += h
    p = {"type": kind, "title": title, "id": pid, "datasource": DS, "description": desc,
         "gridPos": {"h": h, "w": w, "x": col, "y": y},
         "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
         "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True}} if kind == "timeseries" else {},
         "targets": [{"refId": chr(65 + i), "datasource": DS, "expr": e, "legendFormat": l}
                     for i, (e, l) in enumerate(targets)]}
    panels.append(p); pid += 1
    col += w
    if col >= 24:
        col = 0; y += h
def endrow():
    global col, y
    if col:
        col = 0; y += 8

row("Training")
panel("Loss", [('salmon_loss{phase=~"$phase"}', "{{phase}} #{{slot}} {{instance}}")],
      desc="Most recent training loss per phase (SFT, reward model, PPO).")
panel("Reward (PPO)", [('salmon_reward{phase=~"$phase"}', "{{phase}} #{{slot}} {{instance}}")],
      desc="Most recent mean reward from the instructable reward model.")
panel("KL from reference policy", [('salmon_kl{phase=~"$phase"}', "{{phase}} #{{slot}} {{instance}}")],
      desc="Most recent KL divergence of the policy from the SFT reference.")
panel("Tokens per second", [
    ('salmon_tokens_per_second{phase=~"$phase"}', "last {{phase}} #{{slot}} {{instance}}"),
    ('sum by (phase) (rate(salmon_tokens_total{phase=~"$phase"}[%s]))' % RI, "avg {{phase}}")],
      desc="Throughput as reported by the phase, and averaged from the token counter.")
panel("Phase progress", [('salmon_progress_ratio{phase=~"$phase"}', "{{phase}} #{{slot}} {{instance}}")],
      unit="percentunit", kind="bargauge", desc="Step / total of each phase running on a worker.")
panel("Current step", [('salmon_step{phase=~"$phase"}', "{{phase}} #{{slot}} {{instance}}")], kind="stat")
endrow()
row("Preference labels per principle (newest dataset)")
panel("Labels per principle", [
    ('sum by (principle, outcome) (salmon_preference_dataset_labels)', "{{principle}} {{outcome}}")],
      kind="bargauge", desc="Pairs judged per principle in the newest preference dataset: kept (both judging orders agree) or dropped (tie or the orders disagree).")
panel("Order-swap agreement per principle", [('salmon_preference_order_swap_agreement', "{{principle}}")],
      unit="percentunit", kind="bargauge",
      desc="decisive / (decisive + abstained): low values mean a strong position bias flips verdicts.")
panel("Position bias per principle", [('salmon_preference_position_bias', "{{principle}}")],
      kind="bargauge", desc="Mean (s12 - s21) / 2 in logits: the judge's pull toward the first-shown output.")
panel("Grader agreement per principle", [('salmon_preference_grader_agreement', "{{principle}}")],
      unit="percentunit", kind="bargauge",
      desc="Share of kept labels that agree with the sandbox grader (sandbox runs only).")
panel("Labels produced while judging", [
    ('sum by (principle, outcome) (rate(salmon_preference_labels_total[%s]))' % RI, "{{principle}} {{outcome}}")],
      unit="ops", desc="Streaming label counter, for phases that record labels as they judge.")
panel("Other phase figures", [('salmon_phase_metric{phase=~"$phase"}', "{{phase}} {{name}}")],
      desc="Any further figure phases report with their progress.")
endrow()
row("Activities")
panel("Activity duration p95", [
    ('histogram_quantile(0.95, sum by (le, activity) (rate(salmon_activity_duration_seconds_bucket[%s])))' % RI,
     "{{activity}}")], unit="s")
panel("Activity mean duration", [
    ('sum by (activity) (rate(salmon_activity_duration_seconds_sum[%s])) / sum by (activity) (rate(salmon_activity_duration_seconds_count[%s]))' % (RI, RI),
     "{{activity}}")], unit="s")
panel("Activity attempts by outcome", [
    ('sum by (activity, outcome) (rate(salmon_activity_duration_seconds_count[%s]))' % RI, "{{activity}} {{outcome}}")],
      unit="ops", desc="Failures here are retried attempts (lost worker, database down) or bad input.")
panel("Longest activity attempt", [('max by (activity) (salmon_activity_duration_seconds_max)', "{{activity}}")], unit="s")
endrow()
row("Temporal workers")
panel("Workflows completed / failed", [
    ('sum by (workflow_type) (rate(temporal_workflow_completed_total[%s]))' % RI, "completed {{workflow_type}}"),
    ('sum by (workflow_type) (rate(temporal_workflow_failed_total[%s]))' % RI, "failed {{workflow_type}}")], unit="ops")
panel("Activity schedule-to-start p95", [
    ('histogram_quantile(0.95, sum by (le, task_queue) (rate(temporal_activity_schedule_to_start_latency_seconds_bucket[%s])))' % RI,
     "{{task_queue}}")], unit="s",
      desc="How long activities wait for a worker: rising values mean the pool for that queue needs more workers.")
panel("Activity execution failures", [
    ('sum by (activity_type) (rate(temporal_activity_execution_failed_total[%s]))' % RI, "{{activity_type}}")], unit="ops")
panel("Free task slots", [('sum by (task_queue, worker_type) (temporal_worker_task_slots_available)', "{{task_queue}} {{worker_type}}")],
      desc="Zero on the model queue means every model worker is busy (see --max-model-activities).")
panel("Temporal request rate", [
    ('sum by (operation) (rate(temporal_request_total[%s]))' % RI, "{{operation}}")], unit="reqps")
panel("Workflow task execution p95", [
    ('histogram_quantile(0.95, sum by (le, workflow_type) (rate(temporal_workflow_task_execution_latency_seconds_bucket[%s])))' % RI,
     "{{workflow_type}}")], unit="s")
endrow()
row("JVM")
panel("Heap used", [('sum by (instance) (jvm_memory_used_bytes{area="heap"})', "{{instance}}")], unit="bytes")
panel("Process CPU", [('process_cpu_usage', "{{instance}}")], unit="percentunit")
endrow()

dash = {
    "uid": "salmon-run", "title": "Salmon Run", "tags": ["salmon-run", "temporal"],
    "timezone": "utc", "schemaVersion": 39, "version": 1, "editable": True, "refresh": "10s",
    "time": {"from": "now-3h", "to": "now"},
    "templating": {"list": [{
        "type": "query", "name": "phase", "label": "Phase", "datasource": DS,
        "query": {"query": "label_values(salmon_step, phase)", "refId": "PhaseVar"},
        "definition": "label_values(salmon_step, phase)",
        "includeAll": True, "multi": True, "allValue": ".*", "refresh": 2,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]}}]},
    "annotations": {"list": []},
    "panels": panels,
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dashboards", "salmon-run.json")
with open(out, "w") as f:
    json.dump(dash, f, indent=2)
    f.write("\n")
print(len(panels))
