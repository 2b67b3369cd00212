import { describeConformance } from '../core/conformance/conformance-suite.js';
import { wechatConformanceHarness } from './wechat.harness.js';

describeConformance(wechatConformanceHarness);
