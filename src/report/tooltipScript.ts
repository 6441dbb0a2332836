/**
 * The page's only script: a read-out of the day under the pointer on the new-customers chart. It reads
 * numbers from data-* attributes and writes with textContent, so no data ever becomes markup. Bars use
 * their SVG <title> as a native tooltip and need no script.
 */
export const TOOLTIP_SCRIPT = `(function(){
var tip=document.getElementById('tip');
if(!tip)return;
var svgs=document.querySelectorAll('svg[data-series]');
for(var s=0;s<svgs.length;s++)wire(svgs[s]);
function num(svg,name){return Number(svg.getAttribute('data-'+name));}
function wire(svg){
var counts=svg.getAttribute('data-series').split(',').map(Number);
var avg=svg.getAttribute('data-avg').split(',');
var start=num(svg,'start'),x0=num(svg,'x0'),x1=num(svg,'x1'),base=num(svg,'base'),h=num(svg,'plot-h'),max=num(svg,'y-max');
var hover=svg.querySelector('.hover'),line=hover.querySelector('line'),dot=hover.querySelector('circle');
var n=counts.length;
svg.addEventListener('pointermove',function(ev){
var ctm=svg.getScreenCTM();if(!ctm)return;
var pt=svg.createSVGPoint();pt.x=ev.clientX;pt.y=ev.clientY;
var p=pt.matrixTransform(ctm.inverse());
var i=n<2?0:Math.round((p.x-x0)/(x1-x0)*(n-1));
if(i<0||i>=n){hide();return;}
var x=n<2?(x0+x1)/2:x0+i*(x1-x0)/(n-1),y=base-counts[i]/max*h;
line.setAttribute('x1',x);line.setAttribute('x2',x);dot.setAttribute('cx',x);dot.setAttribute('cy',y);
hover.style.visibility='visible';
var day=new Date(start+i*864e5).toISOString().slice(0,10);
tip.textContent=day+' \\u00b7 '+counts[i]+' new'+(avg[i]!==''?' \\u00b7 7-day avg '+avg[i]:'');
tip.hidden=false;
var left=ev.clientX+14,w=tip.offsetWidth;
if(left+w>window.innerWidth-8)left=ev.clientX-14-w;
tip.style.left=left+'px';tip.style.top=(ev.clientY-36)+'px';
});
svg.addEventListener('pointerleave',hide);
function hide(){hover.style.visibility='hidden';tip.hidden=true;}
}
})();`;
