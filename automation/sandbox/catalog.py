"""The fixed cast of the seeded world: demo accounts, products, people and the words summaries are made of.

The accounts mirror `rfeplatform/management/commands/demo.py` (a test keeps the two in step), so seeded
portal cases belong to the demo customers and the dashboards light up right after `manage.py demo`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    number: str
    name: str
    sbr_groups: tuple[str, ...]
    products: tuple[str, ...]
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class Product:
    """A product with where its trackers live: the JIRA projects for bugs and RFEs, and whether its bugs
    are (also) in Bugzilla."""

    name: str
    sbr: str
    versions: tuple[str, ...]
    bug_project: str
    rfe_project: str
    bugzilla: bool
    component: str
    features: tuple[str, ...]
    symptoms: tuple[str, ...]


ACCOUNTS = (
    Account(
        "1000001",
        "Acme Corporation",
        ("Ansible", "OpenShift"),
        ("Red Hat OpenShift Container Platform",),
        ("acme-ops", "acme-platform"),
    ),
    Account("1000002", "Globex", ("RHEL",), ("Red Hat Enterprise Linux",), ("globex-sysadmin",)),
    Account("1000003", "Initech", ("Ansible",), ("Red Hat Ansible Automation Platform",), ("initech-automation",)),
    Account(
        "2000001", "Umbrella Analytics", ("Storage",), ("Red Hat OpenShift Data Foundation",), ("umbrella-storage",)
    ),
    Account("2000002", "Stark Industries", ("OpenShift",), ("Red Hat OpenShift AI",), ("stark-ml", "stark-infra")),
    Account("2000003", "Wayne Enterprises", ("Middleware",), ("Red Hat AMQ",), ("wayne-integration",)),
)

PRODUCTS = {
    p.name: p
    for p in (
        Product(
            "Red Hat OpenShift Container Platform",
            "OpenShift",
            ("4.14", "4.15", "4.16", "4.17", "4.18"),
            "OCPBUGS",
            "RFE",
            False,
            "Networking",
            (
                "custom ingress certificates per route",
                "pruning of old image streams by age",
                "per-namespace egress IP quotas",
                "rollback of a failed cluster upgrade",
                "audit log forwarding to Splunk HEC",
                "node drain timeout per machine pool",
                "OVN-Kubernetes IPsec for east-west traffic",
                "GitOps-managed cluster autoscaler limits",
            ),
            (
                "oauth-openshift pods crash-loop after upgrade",
                "etcd leader elections every few minutes",
                "router pods drop websocket connections",
                "image registry returns 500 on large layers",
                "nodes stuck NotReady after kernel update",
                "must-gather times out on large clusters",
            ),
        ),
        Product(
            "Red Hat Enterprise Linux",
            "RHEL",
            ("8.10", "9.4", "9.6", "10.0"),
            "RHEL",
            "RHEL",
            True,
            "kernel",
            (
                "FIPS mode toggle without reinstall",
                "kpatch for all z-stream kernels",
                "SELinux policy for custom container runtimes",
                "tuned profile for low-latency trading",
                "Leapp upgrade report in JSON",
            ),
            (
                "kernel panic in nfsd under heavy load",
                "systemd-journald consumes 100% CPU",
                "dnf hangs resolving modular dependencies",
                "NetworkManager loses bond after reboot",
                "XFS filesystem shutdown on multipath failover",
            ),
        ),
        Product(
            "Red Hat Ansible Automation Platform",
            "Ansible",
            ("2.4", "2.5"),
            "AAP",
            "AAPRFE",
            False,
            "Controller",
            (
                "job template surveys with dynamic choices",
                "execution environment pull through proxy",
                "RBAC for workflow approval nodes",
                "automation mesh hop node metrics",
                "LDAP group sync on login",
            ),
            (
                "controller UI times out listing 10k hosts",
                "job events missing after receptor restart",
                "EDA rulebook activation stuck in starting",
                "private automation hub sync fails with 413",
            ),
        ),
        Product(
            "Red Hat OpenShift Data Foundation",
            "Storage",
            ("4.16", "4.17", "4.18"),
            "DFBUGS",
            "RFE",
            True,
            "ceph",
            ("RBD mirroring health in the console", "per-bucket quotas in NooBaa", "encryption key rotation for OSDs"),
            (
                "OSD pods in CrashLoopBackOff after node replacement",
                "CephFS PVC mount hangs",
                "NooBaa endpoint returns 503 under load",
            ),
        ),
        Product(
            "Red Hat OpenShift AI",
            "OpenShift",
            ("2.16", "2.19", "2.22"),
            "RHOAIENG",
            "RHOAIRFE",
            False,
            "Model Serving",
            (
                "GPU time-slicing per data science project",
                "model registry approval workflow",
                "vLLM runtime with speculative decoding",
            ),
            (
                "notebook server stuck in pending",
                "KServe inference service never becomes ready",
                "pipeline runs lose artifacts on retry",
            ),
        ),
        Product(
            "Red Hat AMQ",
            "Middleware",
            ("7.12", "7.13"),
            "ENTMQBR",
            "ENTMQBR",
            True,
            "broker",
            ("broker federation over mTLS", "message tracing with OpenTelemetry"),
            ("paging store corruption after failover", "AMQP clients disconnected every 60 seconds"),
        ),
    )
}

OTHER_SUMMARIES = (
    "How to configure {component} for {product}",
    "Upgrade guidance for {product} {version}",
    "Certificate renewal question for {product}",
    "Request for a health check of {product} {version}",
    "Clarify support policy for {component} in {product}",
)

ENGINEERS = ("jsmith", "mgarcia", "akowalski", "lchen", "pnovak", "rdubois", "tkim", "sorourke")
JIRA_PEOPLE = (*ENGINEERS, "dev-alvarez", "dev-brandt", "qe-chowdhury", "pm-dalton")

EXTRA_PROJECTS = {"T5G": "Telco5G field support cards", "OPS": "Operations incidents"}
