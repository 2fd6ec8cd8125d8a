import {
    between,
    Context,
    cidrPrefixTest,
    Constraint,
    constraint,
    custom,
    duration,
    entry,
    inRanges,
    mapTest,
    oneOf,
    physicalName,
    StringSpec,
    stringTest,
    Test,
    text,
    TypeEntry,
} from "./model";
import { dns1123Label } from "./k8s-rules";

/**
 * Google Cloud limits, from each API's REST reference (resource name fields and their documented
 * patterns) and the Google provider's schema validators (@pulumi/gcp typings).
 */

const LABELS = "https://cloud.google.com/resource-manager/docs/labels-overview#requirements";
const labelKey = stringTest({ max: 63, pattern: /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*$/u, chars: "lowercase letters, digits, '_' and '-', a lowercase letter first" });
const labelValue = stringTest({ min: 0, max: 63, pattern: /^[\p{Ll}\p{Lo}\p{N}_-]*$/u, chars: "lowercase letters, digits, '_' and '-'" });
/**
 * Labels the provider adds to every resource: its `defaultLabels`, and `goog-pulumi-provisioned`
 * unless `addPulumiAttributionLabel` is false.
 */
const providerLabelKeys = (context: Context): string[] => {
    const p = context.provider;
    if (!p) {
        return [];
    }
    const d = p.defaultLabels;
    const keys = d && typeof d === "object" ? Object.keys(d) : [];
    return p.addPulumiAttributionLabel === false || p.addPulumiAttributionLabel === "false" ? keys : [...keys, "goog-pulumi-provisioned"];
};
const MONITORING = "https://cloud.google.com/monitoring/api/ref_v3/rest/v3";
/** Monitoring user labels are the resource's own: the provider's default labels do not reach them. */
const monitoringLabels: Test = mapTest({ maxEntries: 64, key: labelKey, value: labelValue, label: "user label" });
const labelsTest: Test = mapTest({ maxEntries: 64, key: labelKey, value: labelValue, label: "label", inherited: providerLabelKeys });
const providerLabelsTest: Test = mapTest({ maxEntries: 64, key: labelKey, value: labelValue, label: "label" });

/** GCP labels: at most 64; keys 1–63 starting with a lowercase letter; values ≤ 63; lowercase, digits, `_`, `-`. */
export function gcpLabels(path = "labels"): Constraint {
    return constraint("gcp-labels", path, labelsTest, LABELS);
}

/** RFC 1035 names of Compute Engine resources: `[a-z]([-a-z0-9]*[a-z0-9])?`, 1–63. */
const RFC1035: StringSpec = { max: 63, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, chars: "RFC 1035: a lowercase letter first, then lowercase letters, digits and '-', not ending with '-'" };
const COMPUTE = "https://cloud.google.com/compute/docs/naming-resources#resource-name-format";
const auto = { suffix: 7, unless: [] as string[] };
const computeName = (extra: Constraint[] = [], described = true): TypeEntry =>
    entry(physicalName("name", RFC1035, COMPUTE, auto), ...(described ? [text("description", { min: 0, max: 2048 }, COMPUTE)] : []), ...extra);

/** Pub/Sub topic, subscription and schema ids. */
const PUBSUB = "https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names";
const pubsubId: StringSpec = { min: 3, max: 255, pattern: /^[A-Za-z][A-Za-z0-9\-_.~+%]*$/, chars: "a letter first, then letters, digits and - _ . ~ + %", forbid: [[/^goog/i, 'not starting "goog"']] };
const iamRole = text("role", { max: 256, pattern: /^(roles|projects\/[^/]+\/roles|organizations\/[^/]+\/roles)\/[A-Za-z0-9_.]+$/, chars: "roles/…, projects/…/roles/… or organizations/…/roles/…" }, "https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding");
const iamMember = (path: string) =>
    text(path, { max: 512, pattern: /^(user|serviceAccount|group|domain|principal|principalSet|deleted:[a-zA-Z]+):.+$|^(allUsers|allAuthenticatedUsers)$/, chars: "type:identifier (user:, serviceAccount:, group:, domain:, principal…:)" }, "https://cloud.google.com/iam/docs/reference/rest/v1/Policy#Binding");
/** IAM bindings (`members`) and members (`member`). */
const iamBinding = (): TypeEntry => entry(iamRole, iamMember("members[]"));
const iamMemberEntry = (): TypeEntry => entry(iamRole, iamMember("member"));
const KMS = "https://cloud.google.com/kms/docs/resource-hierarchy#retrieve_resource_id";
const KMS_KEY = "https://cloud.google.com/kms/docs/reference/rest/v1/projects.locations.keyRings.cryptoKeys";
const RUN = "https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.services";
const SQL = "https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/instances";
const REDIS = "https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/projects.locations.instances";
const DNS = "https://cloud.google.com/dns/docs/reference/rest/v1/managedZones";
const BUCKET = "https://cloud.google.com/storage/docs/buckets#naming";
const CONNECTOR = "https://cloud.google.com/vpc/docs/reference/vpcaccess/rest/v1/projects.locations.connectors";
const ROUTER = "https://cloud.google.com/network-connectivity/docs/router/reference/rest/v1/routers";
const VPN = "https://cloud.google.com/network-connectivity/docs/vpn/concepts/choosing-networks-routing#asn";
const MIG = "https://cloud.google.com/compute/docs/reference/rest/v1/regionInstanceGroupManagers";
const HC = "https://cloud.google.com/compute/docs/reference/rest/v1/healthChecks";
const TEMPLATE = "https://cloud.google.com/compute/docs/reference/rest/v1/instanceTemplates";
const FW = "https://cloud.google.com/compute/docs/reference/rest/v1/firewalls";
const WIF = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools";
const WIF_PROVIDER = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.locations.workloadIdentityPools.providers";
const privateAsn = [
    [64512, 65534],
    [4200000000, 4294967294],
] as const;

const LINK_LOCAL_RANGE = /^169\.254\.\d{1,3}\.\d{1,3}\/(30|29)$/;
const LINK_LOCAL = /^169\.254\./;

/** Cloud Run rejects these variable names: they are set by the platform. */
const reservedEnv = new Set(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"]);
const runEnvName: Test = (v) => {
    if (typeof v !== "string") {
        return undefined;
    }
    if (v.length === 0 || v.includes("=")) {
        return "a non-empty name without '='";
    }
    if (v.startsWith("X_GOOGLE_")) {
        return 'not starting "X_GOOGLE_"';
    }
    return reservedEnv.has(v) ? "not one of PORT, K_SERVICE, K_REVISION, K_CONFIGURATION (reserved)" : undefined;
};
const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const memoryUnits: Readonly<Record<string, number>> = { "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
const GiB = 1024 ** 3;

/**
 * Cloud Run's CPU and memory pairs: CPU 0.08–1 or exactly 2, 4, 6, 8; memory 128 MiB (512 MiB in
 * the second generation) to 32 GiB; 4 CPU needs ≥ 2 GiB and 6 or 8 CPU ≥ 4 GiB; over 4, 8, 16,
 * 24 GiB needs at least 2, 4, 6, 8 CPU.
 */
const runResources: Test = (v, p) => {
    if (!v || typeof v !== "object") {
        return undefined;
    }
    const limits = v as Record<string, unknown>;
    const cpuMatch = typeof limits.cpu === "string" ? CPU.exec(limits.cpu) : null;
    const memMatch = typeof limits.memory === "string" ? MEMORY.exec(limits.memory) : null;
    const cpu = cpuMatch ? Number(cpuMatch[1]) / (cpuMatch[2] === "m" ? 1000 : 1) : undefined;
    const mem = memMatch ? Number(memMatch[1]) * (memoryUnits[memMatch[2] ?? ""] ?? 1) : undefined;
    if (cpu !== undefined && !((cpu >= 0.08 && cpu <= 1) || [2, 4, 6, 8].includes(cpu))) {
        return `cpu ${String(limits.cpu)}: 0.08–1, 2, 4, 6 or 8`;
    }
    const template = p.template && typeof p.template === "object" ? (p.template as Record<string, unknown>) : {};
    const minMem = template.executionEnvironment === "EXECUTION_ENVIRONMENT_GEN2" ? 512 * 1024 ** 2 : 128 * 1024 ** 2;
    if (mem !== undefined && (mem < minMem || mem > 32 * GiB)) {
        return `memory ${String(limits.memory)}: ${minMem / 1024 ** 2} MiB–32 GiB`;
    }
    if (cpu !== undefined && mem !== undefined) {
        const needMem = cpu >= 6 ? 4 * GiB : cpu >= 4 ? 2 * GiB : 0;
        if (mem < needMem) {
            return `${cpu} CPU needs at least ${needMem / GiB} GiB of memory`;
        }
        const needCpu = mem > 24 * GiB ? 8 : mem > 16 * GiB ? 6 : mem > 8 * GiB ? 4 : mem > 4 * GiB ? 2 : 0;
        if (cpu < needCpu) {
            return `${String(limits.memory)} of memory needs at least ${needCpu} CPU`;
        }
    }
    return undefined;
};
const fqdn: StringSpec = { max: 253, pattern: /^([A-Za-z0-9_*](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+$/, chars: "a fully qualified name ending with '.', labels of at most 63 characters" };
const healthCheck = (): TypeEntry =>
    computeName([
        between("checkIntervalSec", 1, 300, HC),
        between("timeoutSec", 1, 300, HC),
        custom("range", "timeoutSec", (v, p) => (typeof v === "number" && typeof p.checkIntervalSec === "number" && v > p.checkIntervalSec ? `at most checkIntervalSec (${p.checkIntervalSec})` : undefined), HC),
        between("healthyThreshold", 1, 10, HC),
        between("unhealthyThreshold", 1, 10, HC),
        between("tcpHealthCheck.port", 1, 65535, HC),
        between("httpHealthCheck.port", 1, 65535, HC),
        between("httpsHealthCheck.port", 1, 65535, HC),
    ]);
const instanceTemplate = (): TypeEntry =>
    entry(
        physicalName("name", RFC1035, TEMPLATE, { suffix: 7, unless: ["namePrefix"] }),
        // The provider appends a 26-character suffix to a prefix of up to 37 (a shorter one up to 54).
        text("namePrefix", { max: 54, pattern: /^[a-z]([-a-z0-9]*)?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, "@pulumi/gcp compute.InstanceTemplate namePrefix (schema validator)"),
        text("description", { min: 0, max: 2048 }, TEMPLATE),
        gcpLabels("labels"),
        gcpLabels("resourceManagerTags"),
        text("tags[]", RFC1035, "https://cloud.google.com/vpc/docs/add-remove-network-tags#restrictions"),
        custom("range", "tags", (v) => (Array.isArray(v) && v.length > 64 ? "at most 64 network tags" : undefined), "https://cloud.google.com/vpc/docs/add-remove-network-tags#restrictions"),
        custom("value", "metadata", mapTest({ maxEntries: Number.MAX_SAFE_INTEGER, key: stringTest({ max: 128, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, '_' and '-'" }), value: stringTest({ min: 0, max: 262144 }), label: "metadata" }), "https://cloud.google.com/compute/docs/metadata/setting-custom-metadata#limitations"),
        inRanges("disks[].diskSizeGb", [[1, 65536]], TEMPLATE),
        oneOf("disks[].diskType", ["pd-standard", "pd-balanced", "pd-ssd", "pd-extreme", "local-ssd", "hyperdisk-balanced", "hyperdisk-extreme", "hyperdisk-throughput"], TEMPLATE),
    );

const maxAtLeastMin: Test = (v, p) => {
    const policy = p.autoscalingPolicy;
    const min = policy && typeof policy === "object" ? (policy as Record<string, unknown>).minReplicas : undefined;
    return typeof v === "number" && typeof min === "number" && v < min ? `at least minReplicas (${min})` : undefined;
};

export const gcpLimits: Readonly<Record<string, TypeEntry>> = {
    "gcp:billing/budget:Budget": entry(
        text("displayName", { min: 0, max: 60 }, "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets"),
        oneOf("thresholdRules[].spendBasis", ["CURRENT_SPEND", "FORECASTED_SPEND"], "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets#basis"),
        custom("range", "thresholdRules[].thresholdPercent", (v) => (typeof v === "number" && !(v > 0) ? "a positive fraction (1.0 = 100%)" : undefined), "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets#thresholdrule"),
        oneOf("budgetFilter.calendarPeriod", ["MONTH", "QUARTER", "YEAR"], "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets#calendarperiod"),
        oneOf("budgetFilter.creditTypesTreatment", ["INCLUDE_ALL_CREDITS", "EXCLUDE_ALL_CREDITS", "INCLUDE_SPECIFIED_CREDITS"], "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets#credittypestreatment"),
        text("amount.specifiedAmount.currencyCode", { min: 3, max: 3, pattern: /^[A-Z]{3}$/, chars: "an ISO 4217 code" }, "https://cloud.google.com/billing/docs/reference/budget/rest/v1/billingAccounts.budgets#budgetamount"),
    ),
    "gcp:cloudrunv2/service:Service": entry(
        physicalName("name", { max: 49, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-', not ending with '-'" }, RUN, auto),
        gcpLabels("labels"),
        gcpLabels("template.labels"),
        oneOf("ingress", ["INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_ONLY", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_NONE"], RUN),
        oneOf("launchStage", ["UNIMPLEMENTED", "PRELAUNCH", "EARLY_ACCESS", "ALPHA", "BETA", "GA", "DEPRECATED"], RUN),
        oneOf("template.executionEnvironment", ["EXECUTION_ENVIRONMENT_GEN1", "EXECUTION_ENVIRONMENT_GEN2"], RUN),
        between("template.maxInstanceRequestConcurrency", 1, 1000, "https://cloud.google.com/run/docs/about-concurrency#maximum_concurrency"),
        duration("template.timeout", 1, 3600, "https://cloud.google.com/run/docs/configuring/request-timeout"),
        inRanges("template.scaling.minInstanceCount", [[0, Number.MAX_SAFE_INTEGER]], RUN),
        inRanges("template.scaling.maxInstanceCount", [[1, Number.MAX_SAFE_INTEGER]], RUN),
        oneOf("template.vpcAccess.egress", ["ALL_TRAFFIC", "PRIVATE_RANGES_ONLY"], RUN),
        constraint("k8s-container", "template.containers[].name", dns1123Label(), RUN),
        constraint("k8s-port", "template.containers[].ports[].name", (v) => (typeof v === "string" && v !== "http1" && v !== "h2c" ? "http1 or h2c" : undefined), "https://cloud.google.com/run/docs/reference/rest/v2/Container#containerport"),
        between("template.containers[].ports[].containerPort", 1, 65535, "https://cloud.google.com/run/docs/reference/rest/v2/Container#containerport"),
        custom("range", "template.containers[].resources.limits", runResources, "https://cloud.google.com/run/docs/configuring/services/cpu and https://cloud.google.com/run/docs/configuring/services/memory-limits"),
        custom("value", "template.containers[].envs[].name", runEnvName, "https://cloud.google.com/run/docs/configuring/services/environment-variables#reserved"),
        between("template.containers[].livenessProbe.timeoutSeconds", 1, 3600, "https://cloud.google.com/run/docs/reference/rest/v2/Container#probe"),
        between("template.containers[].startupProbe.timeoutSeconds", 1, 240, "https://cloud.google.com/run/docs/reference/rest/v2/Container#probe"),
        between("template.containers[].startupProbe.periodSeconds", 1, 240, "https://cloud.google.com/run/docs/reference/rest/v2/Container#probe"),
        between("template.containers[].livenessProbe.periodSeconds", 1, 3600, "https://cloud.google.com/run/docs/reference/rest/v2/Container#probe"),
        between("traffics[].percent", 0, 100, RUN),
        oneOf("traffics[].type", ["TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION"], RUN),
    ),
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding": iamBinding(),
    "gcp:compute/address:Address": computeName([
        oneOf("addressType", ["INTERNAL", "EXTERNAL"], "https://cloud.google.com/compute/docs/reference/rest/v1/addresses"),
        oneOf("networkTier", ["PREMIUM", "STANDARD"], "https://cloud.google.com/compute/docs/reference/rest/v1/addresses"),
        oneOf("purpose", ["GCE_ENDPOINT", "DNS_RESOLVER", "VPC_PEERING", "NAT_AUTO", "IPSEC_INTERCONNECT", "SHARED_LOADBALANCER_VIP", "PRIVATE_SERVICE_CONNECT", "SERVERLESS", "IPV6_ONLY"], "https://cloud.google.com/compute/docs/reference/rest/v1/addresses"),
        gcpLabels(),
    ]),
    "gcp:compute/globalAddress:GlobalAddress": computeName([
        oneOf("addressType", ["INTERNAL", "EXTERNAL"], "https://cloud.google.com/compute/docs/reference/rest/v1/globalAddresses"),
        oneOf("purpose", ["VPC_PEERING", "PRIVATE_SERVICE_CONNECT"], "https://cloud.google.com/compute/docs/reference/rest/v1/globalAddresses"),
        oneOf("ipVersion", ["IPV4", "IPV6"], "https://cloud.google.com/compute/docs/reference/rest/v1/globalAddresses"),
        between("prefixLength", 8, 29, "https://cloud.google.com/vpc/docs/configure-private-services-access#allocating-range"),
        gcpLabels(),
    ]),
    "gcp:compute/backendService:BackendService": computeName([
        oneOf("loadBalancingScheme", ["EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED"], "https://cloud.google.com/compute/docs/reference/rest/v1/backendServices"),
        oneOf("protocol", ["HTTP", "HTTPS", "HTTP2", "TCP", "SSL", "UDP", "GRPC", "H2C", "UNSPECIFIED"], "https://cloud.google.com/compute/docs/reference/rest/v1/backendServices"),
        between("logConfig.sampleRate", 0, 1, "https://cloud.google.com/compute/docs/reference/rest/v1/backendServices", { integer: false }),
    ]),
    "gcp:compute/regionBackendService:RegionBackendService": computeName([
        oneOf("loadBalancingScheme", ["EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionBackendServices"),
        oneOf("protocol", ["HTTP", "HTTPS", "HTTP2", "TCP", "SSL", "UDP", "GRPC", "H2C", "UNSPECIFIED"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionBackendServices"),
        between("logConfig.sampleRate", 0, 1, "https://cloud.google.com/compute/docs/reference/rest/v1/regionBackendServices", { integer: false }),
        oneOf("backends[].balancingMode", ["UTILIZATION", "RATE", "CONNECTION", "CUSTOM_METRICS"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionBackendServices"),
    ]),
    "gcp:compute/forwardingRule:ForwardingRule": computeName([
        oneOf("ipProtocol", ["TCP", "UDP", "ESP", "AH", "SCTP", "ICMP", "L3_DEFAULT"], "https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules"),
        oneOf("loadBalancingScheme", ["EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL", "INTERNAL_MANAGED", "INTERNAL_SELF_MANAGED", ""], "https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules"),
        text("portRange", { max: 11, pattern: /^\d{1,5}(-\d{1,5})?$/, chars: "a port or port-port" }, "https://cloud.google.com/compute/docs/reference/rest/v1/forwardingRules"),
        gcpLabels(),
    ]),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": computeName([
        oneOf("ipProtocol", ["TCP", "UDP", "ESP", "AH", "SCTP", "ICMP"], "https://cloud.google.com/compute/docs/reference/rest/v1/globalForwardingRules"),
        oneOf("loadBalancingScheme", ["EXTERNAL", "EXTERNAL_MANAGED", "INTERNAL_SELF_MANAGED", "INTERNAL_MANAGED"], "https://cloud.google.com/compute/docs/reference/rest/v1/globalForwardingRules"),
        text("portRange", { max: 11, pattern: /^\d{1,5}(-\d{1,5})?$/, chars: "a port or port-port" }, "https://cloud.google.com/compute/docs/reference/rest/v1/globalForwardingRules"),
        gcpLabels(),
    ]),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": computeName([
        text("managed.domains[]", { ...fqdn, pattern: /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/ }, "https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs#domain-limits"),
        custom("range", "managed.domains", (v) => (Array.isArray(v) && v.length > 100 ? "at most 100 domains" : undefined), "https://cloud.google.com/load-balancing/docs/quotas#ssl_certificates"),
    ]),
    "gcp:compute/network:Network": computeName([
        oneOf("routingMode", ["REGIONAL", "GLOBAL"], "https://cloud.google.com/compute/docs/reference/rest/v1/networks"),
        between("mtu", 1300, 8896, "https://cloud.google.com/vpc/docs/mtu"),
    ]),
    "gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup": computeName([
        oneOf("networkEndpointType", ["SERVERLESS", "PRIVATE_SERVICE_CONNECT", "INTERNET_IP_PORT", "INTERNET_FQDN_PORT", "GCE_VM_IP_PORTMAP"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionNetworkEndpointGroups"),
    ]),
    "gcp:compute/regionTargetHttpProxy:RegionTargetHttpProxy": computeName(),
    "gcp:compute/regionUrlMap:RegionUrlMap": computeName(),
    "gcp:compute/targetHttpProxy:TargetHttpProxy": computeName(),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": computeName([custom("range", "sslCertificates", (v) => (Array.isArray(v) && v.length > 15 ? "at most 15 certificates" : undefined), "https://cloud.google.com/load-balancing/docs/quotas#ssl_certificates")]),
    "gcp:compute/uRLMap:URLMap": computeName([oneOf("defaultUrlRedirect.redirectResponseCode", ["MOVED_PERMANENTLY_DEFAULT", "FOUND", "SEE_OTHER", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT"], "https://cloud.google.com/compute/docs/reference/rest/v1/urlMaps")]),
    "gcp:compute/router:Router": computeName([
        inRanges("bgp.asn", [[16550, 16550], ...privateAsn], ROUTER),
        oneOf("bgp.advertiseMode", ["DEFAULT", "CUSTOM"], ROUTER),
        between("bgp.keepaliveInterval", 20, 60, ROUTER),
    ]),
    "gcp:compute/routerNat:RouterNat": computeName([
        between("minPortsPerVm", 2, 65536, "https://cloud.google.com/nat/docs/ports-and-addresses#port-parameters"),
        between("maxPortsPerVm", 64, 65536, "https://cloud.google.com/nat/docs/ports-and-addresses#port-parameters"),
        inRanges("tcpTimeWaitTimeoutSec", [[1, Number.MAX_SAFE_INTEGER]], "https://cloud.google.com/nat/docs/tune-nat-configuration#specify_custom_timeouts"),
        oneOf("natIpAllocateOption", ["MANUAL_ONLY", "AUTO_ONLY"], "https://cloud.google.com/compute/docs/reference/rest/v1/routers"),
        oneOf("sourceSubnetworkIpRangesToNat", ["ALL_SUBNETWORKS_ALL_IP_RANGES", "ALL_SUBNETWORKS_ALL_PRIMARY_IP_RANGES", "LIST_OF_SUBNETWORKS"], "https://cloud.google.com/compute/docs/reference/rest/v1/routers"),
        oneOf("logConfig.filter", ["ERRORS_ONLY", "TRANSLATIONS_ONLY", "ALL"], "https://cloud.google.com/compute/docs/reference/rest/v1/routers"),
    ], false),
    "gcp:compute/sSLPolicy:SSLPolicy": computeName([
        oneOf("minTlsVersion", ["TLS_1_0", "TLS_1_1", "TLS_1_2", "TLS_1_3"], "https://cloud.google.com/compute/docs/reference/rest/v1/sslPolicies"),
        oneOf("profile", ["COMPATIBLE", "MODERN", "RESTRICTED", "CUSTOM", "FIPS_202205"], "https://cloud.google.com/compute/docs/reference/rest/v1/sslPolicies"),
    ]),
    "gcp:compute/securityPolicy:SecurityPolicy": computeName([
        oneOf("type", ["CLOUD_ARMOR", "CLOUD_ARMOR_EDGE", "CLOUD_ARMOR_NETWORK"], "https://cloud.google.com/compute/docs/reference/rest/v1/securityPolicies"),
        between("rules[].priority", 0, 2147483647, "https://cloud.google.com/compute/docs/reference/rest/v1/securityPolicies"),
        text("rules[].description", { min: 0, max: 64 }, "https://cloud.google.com/armor/docs/configure-security-policies"),
    ]),
    "gcp:compute/subnetwork:Subnetwork": computeName([
        oneOf("purpose", ["PRIVATE", "PRIVATE_RFC_1918", "REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY", "PRIVATE_SERVICE_CONNECT", "PRIVATE_NAT", "PEER_MIGRATION"], "https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks"),
        oneOf("role", ["ACTIVE", "BACKUP"], "https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks"),
        custom("range", "ipCidrRange", cidrPrefixTest(8, 29), "https://cloud.google.com/vpc/docs/subnets#valid-ranges"),
        between("logConfig.flowSampling", 0, 1, "https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks", { integer: false }),
        oneOf("logConfig.aggregationInterval", ["INTERVAL_5_SEC", "INTERVAL_30_SEC", "INTERVAL_1_MIN", "INTERVAL_5_MIN", "INTERVAL_10_MIN", "INTERVAL_15_MIN"], "https://cloud.google.com/compute/docs/reference/rest/v1/subnetworks"),
    ]),
    "gcp:compute/haVpnGateway:HaVpnGateway": computeName([oneOf("stackType", ["IPV4_ONLY", "IPV4_IPV6", "IPV6_ONLY"], "https://cloud.google.com/compute/docs/reference/rest/v1/vpnGateways")]),
    "gcp:compute/externalVpnGateway:ExternalVpnGateway": computeName([
        oneOf("redundancyType", ["FOUR_IPS_REDUNDANCY", "SINGLE_IP_INTERNALLY_REDUNDANT", "TWO_IPS_REDUNDANCY"], "https://cloud.google.com/compute/docs/reference/rest/v1/externalVpnGateways"),
        between("interfaces[].id", 0, 3, "https://cloud.google.com/compute/docs/reference/rest/v1/externalVpnGateways"),
        gcpLabels(),
    ]),
    "gcp:compute/vPNTunnel:VPNTunnel": computeName([
        text("sharedSecret", { max: 128, pattern: /^[\x21-\x7E]+$/, chars: "printable ASCII without spaces" }, "https://cloud.google.com/network-connectivity/docs/vpn/how-to/generating-pre-shared-key", { secret: true }),
        oneOf("ikeVersion", [1, 2], "https://cloud.google.com/compute/docs/reference/rest/v1/vpnTunnels"),
        between("vpnGatewayInterface", 0, 1, "https://cloud.google.com/compute/docs/reference/rest/v1/vpnTunnels"),
        between("peerExternalGatewayInterface", 0, 3, "https://cloud.google.com/compute/docs/reference/rest/v1/vpnTunnels"),
        gcpLabels(),
    ]),
    "gcp:compute/routerInterface:RouterInterface": computeName([
        custom("value", "ipRange", (v) => (typeof v === "string" && !LINK_LOCAL_RANGE.test(v) ? "a link-local /30 (or /29) in 169.254.0.0/16" : undefined), "https://cloud.google.com/network-connectivity/docs/router/concepts/overview#bgp-ips"),
    ], false),
    "gcp:compute/routerPeer:RouterPeer": computeName([
        inRanges("peerAsn", [[1, 4294967294]], VPN),
        between("advertisedRoutePriority", 0, 65535, ROUTER),
        oneOf("advertiseMode", ["DEFAULT", "CUSTOM"], ROUTER),
        custom("value", "peerIpAddress", (v) => (typeof v === "string" && !LINK_LOCAL.test(v) ? "a link-local address in 169.254.0.0/16" : undefined), "https://cloud.google.com/network-connectivity/docs/router/concepts/overview#bgp-ips"),
    ], false),
    "gcp:compute/instanceTemplate:InstanceTemplate": instanceTemplate(),
    "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": instanceTemplate(),
    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": computeName([
        text("baseInstanceName", { max: 58, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, chars: "RFC 1035, at most 58 characters (the group appends 4)" }, MIG),
        inRanges("targetSize", [[0, Number.MAX_SAFE_INTEGER]], MIG),
        text("namedPorts[].name", RFC1035, MIG),
        between("namedPorts[].port", 1, 65535, MIG),
        oneOf("updatePolicy.type", ["PROACTIVE", "OPPORTUNISTIC"], MIG),
        oneOf("updatePolicy.minimalAction", ["REFRESH", "RESTART", "REPLACE", "NONE"], MIG),
        oneOf("updatePolicy.instanceRedistributionType", ["PROACTIVE", "NONE"], MIG),
        oneOf("distributionPolicyTargetShape", ["EVEN", "BALANCED", "ANY", "ANY_SINGLE_ZONE"], MIG),
        between("autoHealingPolicies.initialDelaySec", 0, 3600, MIG),
    ]),
    "gcp:compute/regionHealthCheck:RegionHealthCheck": healthCheck(),
    "gcp:compute/healthCheck:HealthCheck": healthCheck(),
    "gcp:compute/regionAutoscaler:RegionAutoscaler": computeName([
        inRanges("autoscalingPolicy.minReplicas", [[0, Number.MAX_SAFE_INTEGER]], "https://cloud.google.com/compute/docs/reference/rest/v1/regionAutoscalers"),
        inRanges("autoscalingPolicy.maxReplicas", [[1, Number.MAX_SAFE_INTEGER]], "https://cloud.google.com/compute/docs/reference/rest/v1/regionAutoscalers"),
        custom("range", "autoscalingPolicy.maxReplicas", maxAtLeastMin, "https://cloud.google.com/compute/docs/reference/rest/v1/regionAutoscalers"),
        inRanges("autoscalingPolicy.cooldownPeriod", [[0, Number.MAX_SAFE_INTEGER]], "https://cloud.google.com/compute/docs/reference/rest/v1/regionAutoscalers"),
        custom("range", "autoscalingPolicy.cpuUtilization.target", (v) => (typeof v === "number" && !(v > 0 && v <= 1) ? "greater than 0, at most 1" : undefined), "https://cloud.google.com/compute/docs/reference/rest/v1/regionAutoscalers"),
        oneOf("autoscalingPolicy.mode", ["OFF", "ON", "ONLY_SCALE_OUT", "ONLY_UP"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionAutoscalers"),
    ]),
    "gcp:compute/firewall:Firewall": computeName([
        oneOf("direction", ["INGRESS", "EGRESS"], FW),
        between("priority", 0, 65535, FW),
        text("targetTags[]", RFC1035, FW),
        text("sourceTags[]", RFC1035, FW),
        custom("range", "sourceRanges", (v) => (Array.isArray(v) && v.length > 5000 ? "at most 5000 ranges" : undefined), "https://cloud.google.com/firewall/quotas#per-rule"),
    ]),
    "gcp:dns/managedZone:ManagedZone": entry(
        physicalName("name", RFC1035, DNS, auto),
        text("dnsName", fqdn, DNS),
        text("description", { min: 0, max: 1024 }, DNS),
        oneOf("visibility", ["public", "private"], DNS),
        oneOf("dnssecConfig.state", ["off", "on", "transfer"], DNS),
        gcpLabels(),
    ),
    "gcp:dns/recordSet:RecordSet": entry(
        text("name", fqdn, "https://cloud.google.com/dns/docs/reference/rest/v1/resourceRecordSets"),
        oneOf("type", ["A", "AAAA", "ALIAS", "CAA", "CNAME", "DNSKEY", "DS", "HTTPS", "IPSECVPNKEY", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT"], "https://cloud.google.com/dns/docs/records-overview#supported_dns_record_types"),
        between("ttl", 0, 2147483647, "https://cloud.google.com/dns/docs/reference/rest/v1/resourceRecordSets"),
    ),
    "gcp:kms/keyRing:KeyRing": entry(physicalName("name", { max: 63, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, '_' and '-'" }, KMS, auto)),
    "gcp:kms/cryptoKey:CryptoKey": entry(
        physicalName("name", { max: 63, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, '_' and '-'" }, KMS, auto),
        oneOf("purpose", ["ENCRYPT_DECRYPT", "ASYMMETRIC_SIGN", "ASYMMETRIC_DECRYPT", "RAW_ENCRYPT_DECRYPT", "MAC", "KEY_ENCAPSULATION"], KMS_KEY),
        duration("rotationPeriod", 86400, 876000 * 3600, "https://cloud.google.com/kms/docs/key-rotation#frequency_of_key_rotation"),
        duration("destroyScheduledDuration", 86400, 120 * 86400, "https://cloud.google.com/kms/docs/destroy-restore#change-duration"),
        oneOf("versionTemplate.protectionLevel", ["SOFTWARE", "HSM", "EXTERNAL", "EXTERNAL_VPC"], KMS_KEY),
        gcpLabels(),
    ),
    "gcp:kms/cryptoKeyIAMBinding:CryptoKeyIAMBinding": iamBinding(),
    "gcp:projects/iAMMember:IAMMember": iamMemberEntry(),
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": iamMemberEntry(),
    "gcp:projects/service:Service": entry(text("service", { max: 253, pattern: /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$/, chars: "<api>.googleapis.com" }, "https://cloud.google.com/service-usage/docs/reference/rest/v1/services")),
    "gcp:projects/serviceIdentity:ServiceIdentity": entry(text("service", { max: 253, pattern: /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$/, chars: "<api>.googleapis.com" }, "https://cloud.google.com/service-usage/docs/reference/rest/v1beta1/services/generateServiceIdentity")),
    "gcp:pubsub/schema:Schema": entry(
        physicalName("name", pubsubId, PUBSUB, auto),
        oneOf("type", ["TYPE_UNSPECIFIED", "PROTOCOL_BUFFER", "AVRO"], "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.schemas"),
        text("definition", { max: 300 * 1024 }, "https://cloud.google.com/pubsub/quotas#resource_limits"),
    ),
    "gcp:pubsub/topic:Topic": entry(
        physicalName("name", pubsubId, PUBSUB, auto),
        duration("messageRetentionDuration", 600, 31 * 86400, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics"),
        oneOf("schemaSettings.encoding", ["ENCODING_UNSPECIFIED", "JSON", "BINARY"], "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics"),
        gcpLabels(),
    ),
    "gcp:pubsub/subscription:Subscription": entry(
        physicalName("name", pubsubId, PUBSUB, auto),
        between("ackDeadlineSeconds", 10, 600, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions"),
        duration("messageRetentionDuration", 600, 7 * 86400, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions"),
        duration("expirationPolicy.ttl", 86400, 365 * 86400, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#expirationpolicy", true),
        between("deadLetterPolicy.maxDeliveryAttempts", 5, 100, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#deadletterpolicy"),
        duration("retryPolicy.minimumBackoff", 0, 600, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#retrypolicy"),
        duration("retryPolicy.maximumBackoff", 0, 600, "https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions#retrypolicy"),
        text("filter", { min: 0, max: 256 }, "https://cloud.google.com/pubsub/docs/subscription-message-filter#filtering_syntax"),
        gcpLabels(),
    ),
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": iamMemberEntry(),
    "gcp:pubsub/topicIAMBinding:TopicIAMBinding": iamBinding(),
    "gcp:pubsub/topicIAMMember:TopicIAMMember": iamMemberEntry(),
    "gcp:redis/instance:Instance": entry(
        physicalName("name", { max: 40, pattern: /^[a-z]([a-z0-9-]*[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-', not ending with '-'" }, REDIS, auto),
        text("displayName", { min: 0, max: 80 }, REDIS),
        oneOf("tier", ["BASIC", "STANDARD_HA"], REDIS),
        between("memorySizeGb", 1, 300, "https://cloud.google.com/memorystore/docs/redis/redis-tiers"),
        oneOf("redisVersion", ["REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2"], "https://cloud.google.com/memorystore/docs/redis/supported-versions"),
        oneOf("connectMode", ["DIRECT_PEERING", "PRIVATE_SERVICE_ACCESS"], REDIS),
        oneOf("transitEncryptionMode", ["SERVER_AUTHENTICATION", "DISABLED"], REDIS),
        oneOf("readReplicasMode", ["READ_REPLICAS_DISABLED", "READ_REPLICAS_ENABLED"], REDIS),
        between("replicaCount", 0, 5, REDIS),
        oneOf("persistenceConfig.persistenceMode", ["DISABLED", "RDB"], REDIS),
        oneOf("persistenceConfig.rdbSnapshotPeriod", ["ONE_HOUR", "SIX_HOURS", "TWELVE_HOURS", "TWENTY_FOUR_HOURS"], REDIS),
        oneOf("maintenancePolicy.weeklyMaintenanceWindows[].day", ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"], REDIS),
        between("maintenancePolicy.weeklyMaintenanceWindows[].startTime.hours", 0, 23, REDIS),
        between("maintenancePolicy.weeklyMaintenanceWindows[].startTime.minutes", 0, 59, REDIS),
        oneOf("redisConfigs.maxmemory-policy", ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"], "https://cloud.google.com/memorystore/docs/redis/supported-redis-configurations"),
        gcpLabels(),
    ),
    "gcp:secretmanager/secret:Secret": entry(
        physicalName("secretId", { max: 255, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, '_' and '-'" }, "https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets/create"),
        gcpLabels(),
    ),
    "gcp:secretmanager/secretIamBinding:SecretIamBinding": iamBinding(),
    "gcp:secretmanager/secretVersion:SecretVersion": entry(
        text("secretData", { max: 65536 }, "https://cloud.google.com/secret-manager/quotas#content-limits", { secret: true }),
        oneOf("deletionPolicy", ["DELETE", "DISABLE", "ABANDON"], "@pulumi/gcp secretmanager.SecretVersion deletionPolicy (schema)"),
    ),
    "gcp:serviceaccount/account:Account": entry(
        physicalName("accountId", { min: 6, max: 30, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])$/, chars: "a lowercase letter first, then lowercase letters, digits and '-', not ending with '-'" }, "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create"),
        text("displayName", { min: 0, max: 100 }, "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts#ServiceAccount"),
        text("description", { min: 0, max: 256 }, "https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts#ServiceAccount"),
    ),
    "gcp:servicenetworking/connection:Connection": entry(
        oneOf("service", ["servicenetworking.googleapis.com"], "https://cloud.google.com/vpc/docs/configure-private-services-access"),
        oneOf("deletionPolicy", ["ABANDON", ""], "@pulumi/gcp servicenetworking.Connection deletionPolicy (schema)"),
    ),
    "gcp:sql/database:Database": entry(
        text("name", { max: 63 }, "https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS"),
        oneOf("charset", ["UTF8", "utf8", "utf8mb4", "latin1"], "https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/databases"),
    ),
    "gcp:sql/databaseInstance:DatabaseInstance": entry(
        physicalName("name", { max: 98, pattern: /^[a-z][a-z0-9-]*$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, SQL, auto),
        text("databaseVersion", { max: 32, pattern: /^(POSTGRES_\d+|MYSQL_\d+_\d+(_\d+)?|SQLSERVER_\d+_[A-Z]+)$/, chars: "POSTGRES_n, MYSQL_n_n or SQLSERVER_n_EDITION" }, SQL),
        text("settings.tier", { max: 64, pattern: /^db-/, chars: "a db-… machine type" }, "https://cloud.google.com/sql/docs/postgres/instance-settings"),
        oneOf("settings.availabilityType", ["ZONAL", "REGIONAL"], SQL),
        oneOf("settings.edition", ["ENTERPRISE", "ENTERPRISE_PLUS"], SQL),
        oneOf("settings.diskType", ["PD_SSD", "PD_HDD", "HYPERDISK_BALANCED"], SQL),
        inRanges("settings.diskSize", [[10, 65536]], "https://cloud.google.com/sql/docs/postgres/instance-settings"),
        between("settings.backupConfiguration.transactionLogRetentionDays", 1, 35, "https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#retention"),
        between("settings.backupConfiguration.backupRetentionSettings.retainedBackups", 1, 365, "https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#retention"),
        text("settings.backupConfiguration.startTime", { max: 5, pattern: /^([01]\d|2[0-3]):[0-5]\d$/, chars: "HH:MM" }, SQL),
        between("settings.maintenanceWindow.day", 1, 7, SQL),
        between("settings.maintenanceWindow.hour", 0, 23, SQL),
        oneOf("settings.ipConfiguration.sslMode", ["ALLOW_UNENCRYPTED_AND_ENCRYPTED", "ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"], SQL),
        between("settings.insightsConfig.queryStringLength", 256, 4500, SQL),
        gcpLabels("settings.userLabels"),
    ),
    "gcp:sql/user:User": entry(
        // PostgreSQL identifiers are at most 63 bytes; IAM users' names are emails, shortened by Cloud SQL.
        text("name", { max: 63 }, "https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS", { when: (p) => p.type === undefined || p.type === "BUILT_IN" }),
        oneOf("type", ["BUILT_IN", "CLOUD_IAM_USER", "CLOUD_IAM_SERVICE_ACCOUNT", "CLOUD_IAM_GROUP"], "https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1/users"),
    ),
    "gcp:storage/bucket:Bucket": entry(
        physicalName(
            "name",
            {
                min: 3,
                max: 222,
                pattern: /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/,
                chars: "lowercase letters, digits, '-', '_' and '.', alphanumeric first and last",
                forbid: [
                    [/(^|\.)[^.]{64,}(\.|$)/, "dot-separated components of at most 63 characters"],
                    [/^[^.]{64,}$/, "at most 63 characters without dots"],
                    [/^goog/, 'not starting "goog"'],
                    [/g[o0][o0]gle/, 'not containing "google" or a close misspelling'],
                    [/^\d+\.\d+\.\d+\.\d+$/, "not an IP address"],
                ],
            },
            BUCKET,
            auto,
        ),
        oneOf("storageClass", ["STANDARD", "MULTI_REGIONAL", "REGIONAL", "NEARLINE", "COLDLINE", "ARCHIVE"], "https://cloud.google.com/storage/docs/storage-classes"),
        oneOf("publicAccessPrevention", ["enforced", "inherited"], "https://cloud.google.com/storage/docs/public-access-prevention"),
        oneOf("lifecycleRules[].action.type", ["Delete", "SetStorageClass", "AbortIncompleteMultipartUpload"], "https://cloud.google.com/storage/docs/lifecycle#actions"),
        oneOf("lifecycleRules[].action.storageClass", ["STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE", "MULTI_REGIONAL", "REGIONAL"], "https://cloud.google.com/storage/docs/lifecycle#setstorageclass"),
        oneOf("lifecycleRules[].condition.withState", ["LIVE", "ARCHIVED", "ANY"], "https://cloud.google.com/storage/docs/lifecycle#isLive"),
        custom("range", "lifecycleRules", (v) => (Array.isArray(v) && v.length > 100 ? "at most 100 lifecycle rules" : undefined), "https://cloud.google.com/storage/quotas#buckets"),
        inRanges("softDeletePolicy.retentionDurationSeconds", [[0, 0], [604800, 7776000]], "https://cloud.google.com/storage/docs/soft-delete#retention-duration"),
        custom("range", "customPlacementConfig.dataLocations", (v) => (Array.isArray(v) && v.length !== 2 ? "exactly 2 regions" : undefined), "https://cloud.google.com/storage/docs/locations#configurable"),
        gcpLabels(),
    ),
    "gcp:storage/bucketIAMBinding:BucketIAMBinding": iamBinding(),
    "gcp:vpcaccess/connector:Connector": entry(
        physicalName("name", { max: 25, pattern: /^[a-z][-a-z0-9]*[a-z0-9]$/, chars: "a lowercase letter first, then lowercase letters, digits and '-', not ending with '-'" }, CONNECTOR, auto),
        custom("range", "ipCidrRange", cidrPrefixTest(28, 28), CONNECTOR),
        between("minInstances", 2, 9, CONNECTOR),
        between("maxInstances", 3, 10, CONNECTOR),
        custom("range", "maxInstances", (v, p) => (typeof v === "number" && typeof p.minInstances === "number" && v <= p.minInstances ? `greater than minInstances (${p.minInstances})` : undefined), CONNECTOR),
        oneOf("machineType", ["f1-micro", "e2-micro", "e2-standard-4"], "https://cloud.google.com/vpc/docs/serverless-vpc-access#scaling"),
    ),
    "gcp:storage/bucketIAMMember:BucketIAMMember": iamMemberEntry(),
    // Issue 15: the internal load balancer's certificate and the peers' Workload Identity Federation.
    "gcp:certificatemanager/certificate:Certificate": entry(
        text("name", { min: 1, max: 64, pattern: /^[a-zA-Z][a-zA-Z0-9_-]*$/, chars: "a letter first, then letters, digits, '_' and '-'" }, "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.certificates"),
        text("managed.domains[]", { ...fqdn, pattern: /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/ }, "https://cloud.google.com/certificate-manager/docs/certificates"),
        custom("range", "managed.domains", (v) => (Array.isArray(v) && v.length > 100 ? "at most 100 domains" : undefined), "https://cloud.google.com/certificate-manager/docs/quotas"),
        gcpLabels(),
    ),
    "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": entry(
        text("name", { min: 1, max: 64, pattern: /^[a-zA-Z][a-zA-Z0-9_-]*$/, chars: "a letter first, then letters, digits, '_' and '-'" }, "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.dnsAuthorizations"),
        oneOf("type", ["FIXED_RECORD", "PER_PROJECT_RECORD"], "https://cloud.google.com/certificate-manager/docs/reference/certificate-manager/rest/v1/projects.locations.dnsAuthorizations#Type"),
        gcpLabels(),
    ),
    "gcp:compute/regionSslPolicy:RegionSslPolicy": computeName([
        oneOf("minTlsVersion", ["TLS_1_0", "TLS_1_1", "TLS_1_2", "TLS_1_3"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionSslPolicies"),
        oneOf("profile", ["COMPATIBLE", "MODERN", "RESTRICTED", "CUSTOM", "FIPS_202205"], "https://cloud.google.com/compute/docs/reference/rest/v1/regionSslPolicies"),
    ]),
    "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy": computeName([
        custom("range", "certificateManagerCertificates", (v) => (Array.isArray(v) && v.length > 15 ? "at most 15 certificates" : undefined), "https://cloud.google.com/load-balancing/docs/quotas#ssl_certificates"),
    ]),
    "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": entry(
        text("workloadIdentityPoolId", { min: 4, max: 32, pattern: /^[a-z0-9-]+$/, chars: "lowercase letters, digits and '-'", forbid: [[/^gcp-/, 'not starting "gcp-"']] }, WIF),
        text("displayName", { min: 0, max: 32 }, WIF),
        text("description", { min: 0, max: 256 }, WIF),
    ),
    "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": entry(
        text("workloadIdentityPoolProviderId", { min: 4, max: 32, pattern: /^[a-z0-9-]+$/, chars: "lowercase letters, digits and '-'", forbid: [[/^gcp-/, 'not starting "gcp-"']] }, WIF_PROVIDER),
        text("displayName", { min: 0, max: 32 }, WIF_PROVIDER),
        text("description", { min: 0, max: 256 }, WIF_PROVIDER),
        text("attributeCondition", { min: 0, max: 4096 }, WIF_PROVIDER),
        text("aws.accountId", { min: 12, max: 12, pattern: /^\d{12}$/, chars: "12 digits" }, WIF_PROVIDER),
    ),
    "gcp:serviceaccount/iAMBinding:IAMBinding": iamBinding(),
    // Cloud Monitoring (issue 13): services, SLOs, alert policies, dashboards.
    "gcp:monitoring/genericService:GenericService": entry(
        text("serviceId", { max: 128, pattern: /^[a-z0-9-]+$/, chars: "lowercase letters, digits and '-'" }, `${MONITORING}/services/create`),
        oneOf("basicService.serviceType", ["APP_ENGINE", "CLOUD_ENDPOINTS", "CLUSTER_ISTIO", "ISTIO_CANONICAL_SERVICE", "CLOUD_RUN", "GKE_NAMESPACE", "GKE_WORKLOAD", "GKE_SERVICE"], "https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/api-structures#basic-svc-w-basic-sli"),
        constraint("gcp-labels", "userLabels", monitoringLabels, LABELS),
    ),
    "gcp:monitoring/slo:Slo": entry(
        text("sloId", { max: 128, pattern: /^[a-z0-9-]+$/, chars: "lowercase letters, digits and '-'" }, `${MONITORING}/services.serviceLevelObjectives/create`),
        custom("range", "goal", (v) => (typeof v === "number" && !(v > 0 && v < 1) ? "a fraction in (0, 1)" : undefined), `${MONITORING}/services.serviceLevelObjectives#ServiceLevelObjective`),
        between("rollingPeriodDays", 1, 30, `${MONITORING}/services.serviceLevelObjectives#ServiceLevelObjective`),
        constraint("gcp-labels", "userLabels", monitoringLabels, LABELS),
    ),
    "gcp:monitoring/alertPolicy:AlertPolicy": entry(
        text("displayName", { max: 512 }, `${MONITORING}/projects.alertPolicies`),
        custom("range", "conditions", (v) => (Array.isArray(v) && (v.length < 1 || v.length > 6) ? "1 to 6 conditions" : undefined), `${MONITORING}/projects.alertPolicies#AlertPolicy`),
        oneOf("combiner", ["AND", "OR", "AND_WITH_MATCHING_RESOURCE"], `${MONITORING}/projects.alertPolicies#ConditionCombinerType`),
        oneOf("severity", ["CRITICAL", "ERROR", "WARNING"], `${MONITORING}/projects.alertPolicies#Severity`),
        oneOf("conditions[].conditionThreshold.comparison", ["COMPARISON_GT", "COMPARISON_GE", "COMPARISON_LT", "COMPARISON_LE", "COMPARISON_EQ", "COMPARISON_NE"], `${MONITORING}/projects.alertPolicies#ComparisonType`),
        text("documentation.content", { min: 0, max: 10240 }, `${MONITORING}/projects.alertPolicies#Documentation`),
        constraint("gcp-labels", "userLabels", monitoringLabels, LABELS),
    ),
    "gcp:monitoring/dashboard:Dashboard": entry(
        custom(
            "value",
            "dashboardJson",
            (v) => {
                if (typeof v !== "string") {
                    return undefined;
                }
                try {
                    const d = JSON.parse(v) as { displayName?: unknown; mosaicLayout?: { columns?: unknown } };
                    const cols = d.mosaicLayout?.columns;
                    return typeof d.displayName !== "string" ? "a displayName" : typeof cols === "number" && (cols < 1 || cols > 48) ? "1 to 48 mosaic columns" : undefined;
                } catch {
                    return "valid JSON";
                }
            },
            "https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards#Dashboard",
        ),
    ),
    // Release (issue 12).
    "gcp:serviceaccount/iAMMember:IAMMember": iamMemberEntry(),
    "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig": entry(
        text("displayName", { max: 100 }, "https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.uptimeCheckConfigs"),
        oneOf("period", ["60s", "300s", "600s", "900s"], "https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.uptimeCheckConfigs#UptimeCheckConfig"),
        duration("timeout", 1, 60, "https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.uptimeCheckConfigs#UptimeCheckConfig"),
    ),
    "gcp:containeranalysis/note:Note": entry(
        physicalName("name", { max: 100, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, '_' and '-'" }, "https://cloud.google.com/artifact-analysis/docs/reference/rest/v1/projects.notes/create", auto),
    ),
    "gcp:binaryauthorization/attestor:Attestor": entry(
        physicalName("name", { max: 100, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, '_' and '-'" }, "https://cloud.google.com/binary-authorization/docs/reference/rest/v1/projects.attestors/create", auto),
        oneOf("attestationAuthorityNote.publicKeys[].pkixPublicKey.signatureAlgorithm", ["RSA_PSS_2048_SHA256", "RSA_PSS_3072_SHA256", "RSA_PSS_4096_SHA256", "RSA_PSS_4096_SHA512", "RSA_SIGN_PKCS1_2048_SHA256", "RSA_SIGN_PKCS1_3072_SHA256", "RSA_SIGN_PKCS1_4096_SHA256", "RSA_SIGN_PKCS1_4096_SHA512", "ECDSA_P256_SHA256", "EC_SIGN_P256_SHA256", "ECDSA_P384_SHA384", "EC_SIGN_P384_SHA384", "ECDSA_P521_SHA512", "EC_SIGN_P521_SHA512"], "https://cloud.google.com/binary-authorization/docs/reference/rest/v1/projects.attestors#SignatureAlgorithm"),
    ),
    "gcp:binaryauthorization/policy:Policy": entry(
        oneOf("globalPolicyEvaluationMode", ["ENABLE", "DISABLE"], "https://cloud.google.com/binary-authorization/docs/reference/rest/v1/Policy#GlobalPolicyEvaluationMode"),
        oneOf("defaultAdmissionRule.evaluationMode", ["ALWAYS_ALLOW", "REQUIRE_ATTESTATION", "ALWAYS_DENY"], "https://cloud.google.com/binary-authorization/docs/reference/rest/v1/Policy#EvaluationMode"),
        oneOf("defaultAdmissionRule.enforcementMode", ["ENFORCED_BLOCK_AND_AUDIT_LOG", "DRYRUN_AUDIT_LOG_ONLY"], "https://cloud.google.com/binary-authorization/docs/reference/rest/v1/Policy#EnforcementMode"),
    ),
    "gcp:clouddeploy/target:Target": entry(
        physicalName("name", { max: 63, pattern: /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.targets/create", auto),
        oneOf("executionConfigs[].usages[]", ["RENDER", "DEPLOY", "VERIFY", "PREDEPLOY", "POSTDEPLOY", "CUSTOM", "ANALYSIS"], "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.targets#ExecutionEnvironmentUsage"),
        duration("executionConfigs[].executionTimeout", 300, 86400, "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.targets#ExecutionConfig"),
    ),
    "gcp:clouddeploy/deliveryPipeline:DeliveryPipeline": entry(
        physicalName("name", { max: 63, pattern: /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.deliveryPipelines/create", auto),
        inRanges("serialPipeline.stages[].strategy.canary.customCanaryDeployment.phaseConfigs[].percentage", [[0, 100]], "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.deliveryPipelines#PhaseConfig"),
        text("serialPipeline.stages[].strategy.canary.customCanaryDeployment.phaseConfigs[].phaseId", { max: 63, pattern: /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.deliveryPipelines#PhaseConfig"),
        duration("serialPipeline.stages[].strategy.canary.customCanaryDeployment.phaseConfigs[].analysis.duration", 60, 86400, "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.deliveryPipelines#Analysis"),
    ),
    "gcp:clouddeploy/automation:Automation": entry(
        physicalName("name", { max: 63, pattern: /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.deliveryPipelines.automations/create", auto),
        custom("range", "rules", (v) => (Array.isArray(v) && (v.length < 1 || v.length > 250) ? "1 to 250 rules" : undefined), "https://cloud.google.com/deploy/docs/api/reference/rest/v1/projects.locations.deliveryPipelines.automations#Automation"),
    ),
    "gcp:cloudrunv2/job:Job": entry(
        physicalName("name", { max: 49, pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/, chars: "a lowercase letter first, then lowercase letters, digits and '-', not ending with '-'" }, "https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.jobs", auto),
        gcpLabels("labels"),
        gcpLabels("template.labels"),
        oneOf("launchStage", ["UNIMPLEMENTED", "PRELAUNCH", "EARLY_ACCESS", "ALPHA", "BETA", "GA", "DEPRECATED"], "https://cloud.google.com/run/docs/reference/rest/v2/projects.locations.jobs"),
        custom("range", "runExecutionToken", (v, p) => (typeof v === "string" && typeof p.name === "string" && p.name.length + v.length >= 63 ? `job name + token must be under 63 characters (${p.name.length + v.length})` : undefined), "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloud_run_v2_job#run_execution_token"),
        between("template.taskCount", 1, 10000, "https://cloud.google.com/run/docs/configuring/parallelism"),
        between("template.template.maxRetries", 0, 10, "https://cloud.google.com/run/docs/configuring/max-retries"),
        duration("template.template.timeout", 1, 168 * 3600, "https://cloud.google.com/run/docs/configuring/task-timeout"),
        oneOf("template.template.vpcAccess.egress", ["ALL_TRAFFIC", "PRIVATE_RANGES_ONLY"], "https://cloud.google.com/run/docs/reference/rest/v2/VpcAccess"),
        constraint("k8s-container", "template.template.containers[].name", dns1123Label(), "https://cloud.google.com/run/docs/reference/rest/v2/Container"),
        custom("value", "template.template.containers[].envs[].name", runEnvName, "https://cloud.google.com/run/docs/configuring/services/environment-variables#reserved"),
    ),
};


/** Provider-level defaults merged into every resource's labels, and the project id. */
export const gcpProviderLimits: TypeEntry = entry(
    constraint("gcp-labels", "defaultLabels", providerLabelsTest, LABELS),
    text("project", { min: 6, max: 30, pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/, chars: "a lowercase letter first, then lowercase letters, digits and '-'" }, "https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin"),
);

