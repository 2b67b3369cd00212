import { describeConformance } from '../core/conformance/conformance-suite.js';
import { bytedanceConformanceHarness } from './bytedance.harness.js';

describeConformance(bytedanceConformanceHarness);
