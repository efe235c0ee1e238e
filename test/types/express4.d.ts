// Express 4 is installed side by side as `express4` (an npm alias) to run the same suites
// against both majors; its API surface used in tests matches Express 5's types.
declare module "express4" {
  import express from "express";
  export = express;
}
