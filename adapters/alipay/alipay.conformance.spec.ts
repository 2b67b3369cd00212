import { describeConformance } from '../core/conformance/conformance-suite.js';
import { alipayConformanceHarness } from './alipay.harness.js';

describeConformance(alipayConformanceHarness);
