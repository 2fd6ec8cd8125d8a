import { PolicyPack } from "@pulumi/policy";
import { allPolicies } from "./rules";

// The CrossGuard pack: `pulumi preview --policy-pack policy`. Tests and the offline plan never
// import this file (constructing a PolicyPack starts the analyzer's gRPC server); they run
// `allPolicies` through plan/policy-runner.ts.
new PolicyPack("learning-platform", { policies: allPolicies });
