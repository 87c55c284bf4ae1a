import { Novu } from 'novu-api-3-11';
import * as errors from 'novu-api-3-11/models/errors/index.js';
import { novuApiScenarios } from './novu-api.scenarios.js';

// 3.11.0 requires credentials on every record: today's Novu, and so the
// mock, answers an API key's create, update and set-primary without them.
novuApiScenarios('@novu/api 3.11.0', { Novu, errors, parsesSingleAnswers: false });
