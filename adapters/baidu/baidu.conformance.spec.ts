import { describeConformance } from '../core/conformance/conformance-suite.js';
import { baiduConformanceHarness } from './baidu.harness.js';

describeConformance(baiduConformanceHarness);
