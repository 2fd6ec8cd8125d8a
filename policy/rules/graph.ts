import { StackValidationPolicy } from "@pulumi/policy";
import { serviceGraph } from "../graph/graph";

/**
 * The service graph's checks (policy/graph/graph.ts): every dependency a card declares has a path
 * the stack registers — name, rules, protocol — or it is another team's peer this program admits.
 */
export const noPath: StackValidationPolicy = {
    name: "graph/no-path",
    description: "Every dependency edge of the service graph has a concrete path: the name the client is given resolves to the target, the rules on the way admit it, and every hop carries the protocol.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const e of serviceGraph(args.resources)) {
            if (e.problems.length > 0) {
                report(`${e.from} → ${e.to} [${e.protocol}] has no path: ${e.problems.join("; ")}`, e.urn);
            }
        }
    },
};

export const outsideProgram: StackValidationPolicy = {
    name: "graph/outside-program",
    description: "Peers another team deploys: the NetworkPolicy admits them and the name resolves once that team deploys the service.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        for (const e of serviceGraph(args.resources)) {
            if (e.outside && e.problems.length === 0) {
                report(`${e.from} → ${e.to}: ${e.outside}`, e.urn);
            }
        }
    },
};

export const graphPolicies: StackValidationPolicy[] = [noPath, outsideProgram];
