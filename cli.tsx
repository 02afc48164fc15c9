#!/usr/bin/env node
console.log('codechat-tui: under construction');
