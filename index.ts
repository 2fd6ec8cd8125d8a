import { main } from "./stacks";

// The Pulumi program. The language host (and the offline plan) calls the exported function inside
// the root stack and awaits it; its result becomes the stack outputs.
export = main;
