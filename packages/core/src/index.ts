export * from "./pins/pin-store";
export { memoryPins } from "./pins/memory-pins";
